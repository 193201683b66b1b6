import HummingbirdCore

/// What NIO's HTTP/1.1 decoder accepts before a request reaches the router. The request
/// line counts as a header field. Ocean's clients send a handful of short headers; a URL
/// carries at most an address, a nonce, a signature and a few ids.
enum HTTPEdgeLimits {
    static let fieldBytes = 16 * 1024
    static let headerBytes = 64 * 1024
    static let headerCount = 100

    static var decoder: HTTP1Channel.Configuration.DecoderConfiguration {
        .init(maxHeaderFieldSize: fieldBytes, maxHeaderListSize: headerBytes, maxHeaderFieldCount: headerCount)
    }

    static var description: String {
        "at most \(fieldBytes) bytes for the request line and for each header, \(headerBytes) bytes of headers in all, \(headerCount) headers"
    }
}
