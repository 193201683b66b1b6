import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceCore

/// Requests to one node.
///
/// AsyncHTTPClient rather than URLSession: it is already in the node's dependency graph
/// (the Docker-API backend uses it), it is async/await without blocking threads, and on
/// Linux it streams response bodies, so results go to files chunk by chunk, which
/// FoundationNetworking's URLSession does not offer through async/await.
struct NodeHTTP: Sendable {
    let baseURL: String
    let client: HTTPClient
    let timeout: TimeAmount

    /// Checks `url` is `http(s)://host[:port]` and drops a trailing slash.
    static func normalize(_ url: String) throws(ClientError) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.query == nil else {
            throw .invalidNodeURL(url)
        }
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    func url(_ path: String, query: [(String, String)]) -> String {
        guard !query.isEmpty else { return baseURL + path }
        var components = URLComponents()
        components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        // URLComponents leaves `+` alone, which servers read as a space.
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return baseURL + path + "?" + encoded
    }

    /// Sends a request and returns the body of a 2xx answer; other answers become
    /// `ClientError.node` with the node's own message.
    func send(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: String? = nil,
              maxBytes: Int = 32 << 20) async throws(ClientError) -> [UInt8] {
        try await send(method, path, query: query, body: body.map { .json($0) }, maxBytes: maxBytes)
    }

    enum Body {
        case json(String)
        case octets([UInt8])
    }

    func send(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Body?,
              maxBytes: Int = 32 << 20) async throws(ClientError) -> [UInt8] {
        let response = try await execute(method, path, query: query, body: body)
        let bytes: ByteBuffer
        do {
            bytes = try await response.body.collect(upTo: maxBytes)
        } catch {
            throw .unexpectedAnswer(node: baseURL, detail: "the answer to \(path) is cut short or too large")
        }
        let data = Array(bytes.readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw nodeError(status: Int(response.status.code), body: data, path: path)
        }
        return data
    }

    /// Decodes a 2xx JSON answer.
    func json<T: Decodable>(_ type: T.Type, _ method: HTTPMethod, _ path: String, query: [(String, String)] = [],
                            body: String? = nil) async throws(ClientError) -> T {
        let data = try await send(method, path, query: query, body: body)
        do {
            return try JSONDecoder().decode(T.self, from: Data(data))
        } catch {
            throw .unexpectedAnswer(node: baseURL, detail: "\(path) did not answer the expected JSON")
        }
    }

    /// Streams a 2xx body into `file`, creating it; returns the byte count.
    func download(_ path: String, query: [(String, String)], to file: URL) async throws(ClientError) -> Int64 {
        let response = try await execute(.GET, path, query: query, body: nil)
        guard (200..<300).contains(Int(response.status.code)) else {
            let body = (try? await response.body.collect(upTo: 1 << 16)).map { Array($0.readableBytesView) } ?? []
            throw nodeError(status: Int(response.status.code), body: body, path: path)
        }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw ClientError.file(path: file.path, reason: "cannot create the file")
            }
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            var written: Int64 = 0
            for try await chunk in response.body {
                try handle.write(contentsOf: Data(chunk.readableBytesView))
                written += Int64(chunk.readableBytes)
            }
            return written
        } catch let error as ClientError {
            throw error
        } catch {
            throw .file(path: file.path, reason: "the download failed or the disk refused it")
        }
    }

    /// Streams a 2xx body to `onChunk` as it arrives (a body that lasts as long as a job:
    /// `timeout` bounds the whole of it).
    func stream(_ path: String, query: [(String, String)], timeout: TimeAmount,
                onChunk: ([UInt8]) async -> Void) async throws(ClientError) {
        let response = try await execute(.GET, path, query: query, body: nil, timeout: timeout)
        guard (200..<300).contains(Int(response.status.code)) else {
            let body = (try? await response.body.collect(upTo: 1 << 16)).map { Array($0.readableBytesView) } ?? []
            throw nodeError(status: Int(response.status.code), body: body, path: path)
        }
        do {
            for try await chunk in response.body { await onChunk(Array(chunk.readableBytesView)) }
        } catch {
            throw .unexpectedAnswer(node: baseURL, detail: "the answer to \(path) was cut short")
        }
    }

    private func execute(_ method: HTTPMethod, _ path: String, query: [(String, String)], body: Body?,
                         timeout: TimeAmount? = nil) async throws(ClientError) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url(path, query: query))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        switch body {
        case .json(let text):
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: text))
        case .octets(let bytes):
            request.headers.add(name: "Content-Type", value: "application/octet-stream")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        case nil:
            break
        }
        do {
            return try await client.execute(request, timeout: timeout ?? self.timeout)
        } catch {
            throw .unreachable(node: baseURL, reason: Self.reason(error))
        }
    }

    private func nodeError(status: Int, body: [UInt8], path: String) -> ClientError {
        if let json = try? JSONValue.parse(body), let message = json["error"]?.stringValue {
            return .node(status: status, message: message, field: json["field"]?.stringValue)
        }
        if status == 404 {
            return .unexpectedAnswer(node: baseURL, detail: "it has no \(path)")
        }
        return .unexpectedAnswer(node: baseURL, detail: "HTTP \(status) for \(path)")
    }

    /// A few words on why a connection failed, without the NIO type names.
    static func reason(_ error: any Error) -> String {
        let text = String(describing: error).lowercased()
        if text.contains("refused") { return "connection refused" }
        if text.contains("timeout") || text.contains("timed out") || text.contains("deadline") { return "timed out" }
        if text.contains("host") || text.contains("resolve") || text.contains("dns") { return "unknown host" }
        if text.contains("ssl") || text.contains("tls") || text.contains("handshake") { return "TLS failed" }
        return "no answer"
    }
}
