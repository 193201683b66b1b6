import Foundation

/// How to reach a chain's JSON-RPC endpoint.
public struct RPCConfiguration: Sendable {
    public var url: String
    /// Per request, including connecting.
    public var requestTimeout: Duration
    /// Further attempts after a transport failure or a 5xx/429 answer (never after a JSON-RPC error).
    public var retries: Int
    /// Wait before the first retry; doubled for each further one.
    public var backoff: Duration
    public var maxResponseBytes: Int

    public init(url: String, requestTimeout: Duration = .seconds(5), retries: Int = 1, backoff: Duration = .milliseconds(250),
                maxResponseBytes: Int = 32 << 20) {
        self.url = url
        self.requestTimeout = requestTimeout
        self.retries = retries
        self.backoff = backoff
        self.maxResponseBytes = maxResponseBytes
    }

    /// `scheme://host:port` of the URL: what errors and logs may show. Hosted RPC URLs
    /// carry API keys in their path or query, which must not leak.
    public var redactedEndpoint: String {
        guard let u = URLComponents(string: url), let scheme = u.scheme, let host = u.host else { return "the configured RPC URL" }
        return "\(scheme)://\(host)" + (u.port.map { ":\($0)" } ?? "")
    }
}
