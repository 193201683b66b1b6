import Foundation
import Logging
import SluiceCore
import SluicePostgres
import SluiceStore
import SluiceTesting
import Testing

/// Every store protocol both databases implement.
typealias AnyStore = NonceStore & JobStore & IndexedAssetStore & AssetSearchStore & OrderUseStore & EmbeddedLedgerStore

/// The stores every behaviour test runs against: `@Test(arguments: StoreKind.allCases)`.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// A fresh, empty store of this kind: SQLite in memory, or a new PostgreSQL database.
    /// Without a PostgreSQL server the PostgreSQL case is skipped, saying why, unless `CI`
    /// is set: there it fails, so CI never skips it silently.
    func open() async throws -> any AnyStore {
        switch self {
        case .sqlite: return try SQLiteStore.inMemory()
        case .postgres: return try await Self.openPostgres(on: Self.postgresServer())
        }
    }

    /// For concurrency tests: a store whose concurrent calls use separate connections
    /// (a SQLite file with its pool; a PostgreSQL database reached through `pools` pools).
    func openShared(pools: Int) async throws -> [any AnyStore] {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return [try SQLiteStore(path: dir.appendingPathComponent("db.sqlite").path)]
        case .postgres:
            let database = try await PostgresTestServer.freshDatabase(on: try Self.postgresServer())
            var stores: [any AnyStore] = []
            for _ in 0..<pools { stores.append(try await PostgresStore(database: database, password: nil, logger: Self.logger, startupLimit: PostgresTestServer.startupLimit)) }
            return stores
        }
    }

    static func postgresServer() throws -> PostgresURL {
        switch PostgresTestServer.availability {
        case .available(let server):
            return server
        case .skipped(let reason):
            FileHandle.standardError.write(Data("⚠ skipped PostgreSQL case of \(Test.current?.name ?? "a test"): \(reason)\n".utf8))
            try Test.cancel("skipped: \(reason)")
        case .missingUnderCI(let reason):
            Issue.record("CI is set, so the PostgreSQL cases must run: \(reason)")
            throw PostgresUnavailable()
        }
    }

    static func openPostgres(on server: PostgresURL) async throws -> PostgresStore {
        try await PostgresStore(database: try await PostgresTestServer.freshDatabase(on: server), password: nil, logger: logger,
                               startupLimit: PostgresTestServer.startupLimit)
    }

    static let logger: Logger = {
        var logger = Logger(label: "sluice.test.store")
        logger.logLevel = .warning
        return logger
    }()
}

struct PostgresUnavailable: Error {}
