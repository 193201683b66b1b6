/// Where a Docker Engine API listens: a unix socket or a plain TCP address. TLS is not
/// offered; a remote engine belongs on a private network or behind a local tunnel.
public enum DockerEndpointAddress: Sendable, Equatable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int)

    /// Parses `unix:///path`, `/path` or `tcp://host:port`; nil for anything else.
    public init?(_ text: String) {
        if text.hasPrefix("unix://") {
            let path = String(text.dropFirst("unix://".count))
            guard path.hasPrefix("/"), path.count > 1 else { return nil }
            self = .unix(path: path)
        } else if text.hasPrefix("/") {
            guard text.count > 1 else { return nil }
            self = .unix(path: text)
        } else if text.hasPrefix("tcp://") {
            let rest = text.dropFirst("tcp://".count)
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
                  (1...65535).contains(port) else { return nil }
            let host = String(rest[..<colon])
            guard !host.isEmpty, !host.contains("/"), !host.contains(where: \.isWhitespace) else { return nil }
            self = .tcp(host: host, port: port)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): return "unix://\(path)"
        case .tcp(let host, let port): return "tcp://\(host):\(port)"
        }
    }
}
