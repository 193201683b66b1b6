public import Logging
import NIOSSL
import PostgresNIO
public import SluiceCore

/// The shared store: every table of `SQLiteStore` in a PostgreSQL database, reached through
/// postgres-nio's connection pool. Each concern adds its tables in a migration of its own
/// (see `PostgresStore+Migrations.swift`); checks that must hold across connections (a
/// nonce used once, an order paying for one job) are row locks and unique keys, so they
/// hold across processes sharing the database too.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    private let running: Task<Void, Never>

    /// Connects to `database` (with `password`, if any), migrates it within `startupLimit`,
    /// and keeps a pool of connections until `close()`. Errors name the server as
    /// `host:port/db`, never the password.
    public init(database: PostgresURL, password: String?, logger: Logger,
                maximumConnections: Int = 8, startupLimit: Duration = .seconds(20)) async throws {
        var configuration = PostgresClient.Configuration(
            host: database.host, port: database.port, username: database.user, password: password,
            database: database.name, tls: database.tls.clientTLS)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(10)
        // The pool's own messages at warning and above only: its debug lines describe connections.
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        let client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.client = client
        self.logger = logger
        running = Task { await client.run() }
        do {
            // One connection first: a server that cannot be reached, or refuses the user,
            // says so now (the pool would retry it in the background).
            try await Self.probe(database, password: password, logger: background)
            // The pool retries a server that stops answering; a node must not wait forever to start.
            try await Self.within(startupLimit) { try await self.migrate() }
        } catch {
            running.cancel()
            throw PostgresStoreError.cannotOpen(database.displayName, reason: Self.reason(error))
        }
    }

    deinit { running.cancel() }

    /// Closes the pool; later calls fail.
    public func close() {
        running.cancel()
    }

    /// Opens and closes one connection to `database`.
    static func probe(_ database: PostgresURL, password: String?, logger: Logger) async throws {
        try await connect(database, password: password, logger: logger).close()
    }

    /// One connection of its own to `database`, outside the pool.
    static func connect(_ database: PostgresURL, password: String?, logger: Logger) async throws -> PostgresConnection {
        let tls: PostgresConnection.Configuration.TLS
        switch database.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        let configuration = PostgresConnection.Configuration(
            host: database.host, port: database.port, username: database.user, password: password,
            database: database.name, tls: tls)
        return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
    }

    /// `body`'s result, or `PostgresStoreError.timedOut` once `limit` has passed (`body` is cancelled).
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw PostgresStoreError.timedOut(limit) }
            return value
        }
    }

    /// Runs `body` in one transaction on one connection: committed when it returns,
    /// rolled back when it throws (its error is rethrown as it was).
    func transaction<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let logger = logger
        return try await client.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// What went wrong, in words that carry no connection secrets: the server's message
    /// for a server error, the kind of failure otherwise.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PostgresStoreError { return error.description }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if error.code == .connectionError { return "the server cannot be reached" }
            return "\(error.code)"
        }
        return "\(type(of: error))"
    }
}

public enum PostgresStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(String, reason: String)
    case timedOut(Duration)

    public var description: String {
        switch self {
        case .cannotOpen(let name, let reason): return "cannot open the PostgreSQL database \(name): \(reason)"
        case .timedOut(let limit): return "no answer within \(limit)"
        }
    }
}

extension PostgresURL.TLSMode {
    var clientTLS: PostgresClient.Configuration.TLS {
        switch self {
        case .disable: return .disable
        case .prefer: return .prefer(.makeClientConfiguration())
        case .require: return .require(.makeClientConfiguration())
        }
    }
}
