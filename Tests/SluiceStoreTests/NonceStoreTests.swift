import GRDB
import Foundation
import SluiceCore
import SluicePostgres
import SluiceTesting
import Testing
@testable import SluiceStore

@Suite("Nonces in the store (SQLite and PostgreSQL)")
struct NonceStoreTests {
    let alice = EthereumAddress("0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1")!

    @Test(arguments: StoreKind.allCases) func startsAtZeroAndOnlyMovesUp(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        #expect(try await store.lastNonce(of: alice) == 0)
        await #expect(throws: StoreError.staleNonce(sent: 0, last: 0)) { try await store.consume(Nonce(0), of: alice) }
        try await store.consume(Nonce(1), of: alice)
        #expect(try await store.lastNonce(of: alice) == 1)
        await #expect(throws: StoreError.staleNonce(sent: 1, last: 1)) { try await store.consume(Nonce(1), of: alice) }
        await #expect(throws: StoreError.staleNonce(sent: 0, last: 1)) { try await store.consume(Nonce(0), of: alice) }
        try await store.consume(Nonce(1_732_290_000_123), of: alice)
        #expect(try await store.lastNonce(of: alice) == 1_732_290_000_123)
        await #expect(throws: StoreError.self) { try await store.consume(Nonce(2), of: alice) }
    }

    @Test(arguments: StoreKind.allCases) func addressesAreCaseInsensitive(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let lower = EthereumAddress("0x1a642f0e3c3af545e7acbd38b07251b3990914f1")!
        try await store.consume(Nonce(5), of: alice)
        #expect(try await store.lastNonce(of: lower) == 5)
        await #expect(throws: StoreError.self) { try await store.consume(Nonce(5), of: lower) }
    }

    @Test(arguments: StoreKind.allCases) func concurrentRequestsWithOneNonceCannotBothPass(_ kind: StoreKind) async throws {
        let stores = try await kind.openShared(pools: 2)
        let address = alice
        for round in 1...20 {
            let accepted = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<8 {
                    let store = stores[i % stores.count]
                    group.addTask {
                        do { try await store.consume(Nonce(UInt64(round)), of: address); return true } catch { return false }
                    }
                }
                var count = 0
                for await ok in group where ok { count += 1 }
                return count
            }
            #expect(accepted == 1, "round \(round): exactly one of eight racing requests may use a nonce")
        }
    }

    @Test func noncesSurviveReopeningAndTheFileIsInWALMode() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("db.sqlite").path
        do {
            let store = try SQLiteStore(path: path)
            #expect(try await store.journalMode() == "wal")
            let synchronous = try await store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(synchronous == 1, "NORMAL: commits are not each synced in WAL mode")
            try await store.consume(Nonce(42), of: alice)
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.lastNonce(of: alice) == 42)
    }

    /// PostgreSQL's half of the test above: nonces kept by the server, read by a new pool.
    @Test func noncesSurviveANewConnectionPoolOnPostgreSQL() async throws {
        let database = try await PostgresTestServer.freshDatabase(on: try StoreKind.postgresServer())
        do {
            let store = try await PostgresStore(database: database, password: nil, logger: StoreKind.logger, startupLimit: PostgresTestServer.startupLimit)
            try await store.consume(Nonce(42), of: alice)
            store.close()
        }
        let reopened = try await PostgresStore(database: database, password: nil, logger: StoreKind.logger, startupLimit: PostgresTestServer.startupLimit)
        #expect(try await reopened.lastNonce(of: alice) == 42)
        #expect(try await reopened.appliedMigrations() == PostgresStore.migrationIdentifiers, "reopening applies nothing twice")
    }
}
