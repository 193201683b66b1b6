import Hummingbird

/// The routes the node serves, by the names Ocean's clients look them up with.
/// `GET /` lists them (contract section 1) and unknown methods on known paths get 405.
struct EndpointRegistry: Sendable {
    struct Endpoint: Sendable {
        /// The name clients look the route up by; nil for routes not listed in `GET /`.
        let name: String?
        let method: HTTPRequest.Method
        let path: String
    }

    let endpoints: [Endpoint]

    init(operations: [RouteSpec] = RouteTable.operations) {
        endpoints = operations.map { Endpoint(name: $0.discovered ? $0.id : nil, method: $0.method, path: $0.routerPath) }
    }

    /// The methods served on `path`. As in the router, a literal segment wins over a
    /// parameter: `/ddo/validate` is the validate route's path, not a DID for `/ddo/:did`.
    func methods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let matching = endpoints.filter { Self.matches(pattern: $0.path, segments) }
        let literals = { (e: Endpoint) in e.path.split(separator: "/").filter { !$0.hasPrefix(":") }.count }
        guard let most = matching.map(literals).max() else { return [] }
        return matching.filter { literals($0) == most }.map(\.method)
    }

    /// `:name` segments of a pattern match any one segment.
    static func matches(pattern: String, _ segments: [Substring]) -> Bool {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
    }

    /// `{"name": ["METHOD", "/path"]}` for the discovery document.
    var serviceEndpoints: [String: [String]] {
        Dictionary(
            endpoints.compactMap { e in e.name.map { ($0, [e.method.rawValue, e.path]) } },
            uniquingKeysWith: { first, _ in first })
    }
}
