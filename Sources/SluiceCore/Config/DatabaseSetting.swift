/// Which database a node keeps its state in (the `database` config key): the embedded
/// SQLite file in its data directory, or a PostgreSQL server.
public enum DatabaseSetting: Sendable, Equatable {
    case sqlite
    case postgres(PostgresURL)

    /// `"sqlite"`, or a `postgres://user@host:port/db` URL (`postgresql://` too; see
    /// `PostgresURL.init(url:)`). Nil for anything else.
    public init?(text: String) {
        if text == "sqlite" { self = .sqlite; return }
        guard let database = try? PostgresURL(url: text) else { return nil }
        self = .postgres(database)
    }

    /// `sqlite` or `postgresql`: what kind, without where.
    public var kind: String {
        switch self {
        case .sqlite: return "sqlite"
        case .postgres: return "postgresql"
        }
    }

    /// The config's spelling: `"sqlite"` or the URL (which never holds a password).
    public var text: String {
        switch self {
        case .sqlite: return "sqlite"
        case .postgres(let database): return database.url
        }
    }
}

extension DatabaseSetting: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if text == "sqlite" { self = .sqlite; return }
        do {
            self = .postgres(try PostgresURL(url: text))
        } catch {
            // The value is not echoed: a mistyped URL may hold a password.
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "database must be \"sqlite\" or postgres://user@host:port/db: \(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
