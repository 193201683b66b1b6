/// A PostgreSQL server and database, parsed once from `postgres://user@host:port/db`.
/// The URL names no password: it comes from `databasePasswordFile` or `PGPASSWORD`, so
/// that the config, logs and errors can show the URL.
public struct PostgresURL: Sendable, Equatable {
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// Plain TCP (a loopback or private network).
        case disable
        /// TLS when the server offers it (PostgreSQL's default, `sslmode=prefer`).
        case prefer
        /// TLS or no connection.
        case require
    }

    public let user: String
    public let host: String
    public let port: Int
    /// The database's name.
    public let name: String
    public let tls: TLSMode

    public init(user: String, host: String, port: Int = 5432, name: String, tls: TLSMode = .prefer) {
        self.user = user
        self.host = host
        self.port = port
        self.name = name
        self.tls = tls
    }

    /// Why a URL was refused, without repeating it.
    public enum URLProblem: Error, Sendable, Equatable, CustomStringConvertible {
        case scheme, noUser, password, noHost, port, noDatabase, badCharacter, query

        public var description: String {
            switch self {
            case .scheme: return "the URL must start with postgres:// or postgresql://"
            case .noUser: return "the URL must name a user (postgres://user@host/db)"
            case .password: return "the URL must not hold a password; use databasePasswordFile or PGPASSWORD"
            case .noHost: return "the URL must name a host"
            case .port: return "the port must be a number from 1 to 65535"
            case .noDatabase: return "the URL must name a database (postgres://user@host/db)"
            case .badCharacter: return "user, host and database may hold letters, digits and . _ - only"
            case .query: return "the only parameter allowed is sslmode=disable, prefer or require"
            }
        }
    }

    public init(url: String) throws(URLProblem) {
        var rest: Substring
        if url.hasPrefix("postgres://") { rest = url.dropFirst("postgres://".count) }
        else if url.hasPrefix("postgresql://") { rest = url.dropFirst("postgresql://".count) }
        else { throw .scheme }
        var tls = TLSMode.prefer
        if let q = rest.firstIndex(of: "?") {
            let query = rest[rest.index(after: q)...]
            rest = rest[..<q]
            guard query.hasPrefix("sslmode="), let mode = TLSMode(rawValue: String(query.dropFirst("sslmode=".count))) else {
                throw .query
            }
            tls = mode
        }
        guard let at = rest.lastIndex(of: "@") else { throw .noUser }
        let userPart = rest[..<at]
        guard !userPart.contains(":") else { throw .password }
        guard !userPart.isEmpty else { throw .noUser }
        let afterUser = rest[rest.index(after: at)...]
        guard let slash = afterUser.firstIndex(of: "/") else { throw .noDatabase }
        let authority = afterUser[..<slash]
        let database = afterUser[afterUser.index(after: slash)...]
        guard !database.isEmpty else { throw .noDatabase }
        var host = authority
        var port = 5432
        if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let parsed = Int(authority[authority.index(after: colon)...]), (1...65535).contains(parsed) else { throw .port }
            port = parsed
        }
        guard !host.isEmpty else { throw .noHost }
        for part in [userPart, host, database] where !part.allSatisfy(Self.isPlain) { throw .badCharacter }
        self.init(user: String(userPart), host: String(host), port: port, name: String(database), tls: tls)
    }

    private static func isPlain(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "_" || c == "-")
    }

    /// The URL, as the config spells it.
    public var url: String {
        "postgres://\(user)@\(host):\(port)/\(name)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }

    /// What logs and errors show: `host:port/db`.
    public var displayName: String { "\(host):\(port)/\(name)" }
}
