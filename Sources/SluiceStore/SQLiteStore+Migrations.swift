import GRDB

extension SQLiteStore {
    /// Every schema change, in order. Migrations are never edited once released: add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-nonces") { db in
            try db.create(table: "nonce") { t in
                // Lowercase `0x` hex, so lookups are case-insensitive by construction.
                t.primaryKey("address", .text)
                t.column("nonce", .integer).notNull()
            }
        }
        return migrator
    }
}
