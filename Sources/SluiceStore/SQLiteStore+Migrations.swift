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
        migrator.registerMigration("v2-jobs") { db in
            try db.create(table: "job") { t in
                t.primaryKey("jobId", .text)
                // Lowercase `0x` hex of the owner, so lookups are case-insensitive.
                t.column("ownerKey", .text).notNull()
                t.column("documentId", .text).notNull()
                t.column("environment", .text).notNull()
                t.column("status", .integer).notNull()
                t.column("dateCreated", .double).notNull()
                t.column("dateFinished", .double)
                // The whole JobRecord as JSON; the columns above are what queries filter on.
                t.column("record", .text).notNull()
            }
            try db.create(index: "job_owner", on: "job", columns: ["ownerKey", "dateCreated"])
            try db.create(index: "job_finished", on: "job", columns: ["environment", "dateFinished"])
            try db.create(table: "jobTransition") { t in
                t.column("jobId", .text).notNull().references("job", onDelete: .cascade)
                t.column("status", .integer).notNull()
                t.column("at", .double).notNull()
            }
            try db.create(index: "jobTransition_job", on: "jobTransition", columns: ["jobId"])
        }
        return migrator
    }
}
