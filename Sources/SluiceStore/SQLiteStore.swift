import GRDB
import SluiceCore

/// The embedded store: one SQLite database file in the node's data directory, in WAL
/// mode, reached through GRDB. Each concern adds its tables in a migration of its own
/// (see `SQLiteStore+Migrations.swift`).
public final class SQLiteStore: Sendable {
    public static let fileName = "sluice.sqlite"

    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path` and migrates it.
    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(5)
        // A connection is checked out per read; a small pool is plenty for 2 cores.
        config.maximumReaderCount = 4
        config.prepareDatabase { db in
            // In WAL mode NORMAL syncs at checkpoints, not at every commit: each signed
            // request writes its nonce, and an fsync per request would cap the node at
            // about a thousand of them a second. A power loss (not a crash of the node)
            // may lose the last moments of writes.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 16 MiB of page cache per connection (SQLite's default is 2): a full-text search
            // ranks each match reading its row of the text index's document sizes, and the
            // per-field sort keys it joins; with 100,000 assets those outgrow 2 MiB, and every
            // miss is a read from the file. The cache fills only as pages are read.
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        let pool = try DatabasePool(path: path, configuration: config)
        writer = pool
        try Self.migrator.migrate(pool)
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws -> SQLiteStore {
        try SQLiteStore(writer: DatabaseQueue())
    }

    init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// SQLite's journal mode, to confirm WAL from tests and diagnostics.
    public func journalMode() async throws -> String {
        try await writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
