public import Logging
import NIOSSL
import PostgresNIO
public import SluiceCore
import Foundation

/// An `ExclusiveRole` among the processes sharing a PostgreSQL database: a session
/// advisory lock, taken on a connection of its own. The server releases it when that
/// connection ends (the holder stopped, was killed, or its machine is gone), and the next
/// replica to try takes the role, within `retry`.
public final class PostgresExclusiveRole: ExclusiveRole, @unchecked Sendable {
    let database: PostgresURL
    let password: String?
    /// The advisory lock's key: one per role.
    let key: Int64
    let name: String
    let retry: Duration
    let logger: Logger
    private let lock = NSLock()
    // Guarded by `lock`.
    private var held = false

    public init(database: PostgresURL, password: String?, key: Int64, name: String, retry: Duration = .seconds(2),
                logger: Logger) {
        self.database = database
        self.password = password
        self.key = key
        self.name = name
        self.retry = retry
        self.logger = logger
    }

    public var isHeld: Bool { lock.withLock { held } }

    public func whileHeld(_ body: @escaping @Sendable () async -> Void) async {
        while !Task.isCancelled {
            do {
                let connection = try await PostgresStore.connect(database, password: password, logger: logger)
                try await holdAndRun(on: connection, body)
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
                logger.warning("cannot reach the database for the \(name) role; trying again",
                               metadata: ["error": "\(PostgresStore.reason(error))"])
            }
            try? await Task.sleep(for: retry)
        }
    }

    /// Waits for the lock, then runs `body` while the connection answers.
    private func holdAndRun(on connection: PostgresConnection, _ body: @escaping @Sendable () async -> Void) async throws {
        while !Task.isCancelled {
            let answer = try await connection.query("SELECT pg_try_advisory_lock(\(key))", logger: logger)
            var taken = false
            for try await granted in answer.decode(Bool.self) { taken = granted }
            if taken { break }
            try? await Task.sleep(for: retry)
        }
        guard !Task.isCancelled else { return }
        lock.withLock { held = true }
        defer { lock.withLock { held = false } }
        logger.notice("this replica holds the \(name) role")
        let logger = self.logger, retry = self.retry
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await body() }
            // The lock lives as long as the connection: once it fails, another replica may
            // hold the role, so `body` stops.
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: retry)
                    if Task.isCancelled { return }
                    do {
                        _ = try await connection.query("SELECT 1", logger: logger).collect()
                    } catch {
                        logger.warning("lost the database connection holding the \(self.name) role")
                        return
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
