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
        migrator.registerMigration("v2-assets-ledger") { db in
            // Addresses are stored as lowercase 0x hex; amounts as decimal wei text.
            try db.create(table: "asset") { t in
                t.primaryKey("did", .text)
                t.column("nftAddress", .text).notNull().unique()
                t.column("ddo", .text).notNull()
                t.column("created", .integer).notNull()
                t.column("updated", .integer).notNull()
            }
            try db.create(table: "nft") { t in
                t.primaryKey("address", .text)
                t.column("owner", .text).notNull()
                t.column("name", .text).notNull()
                t.column("symbol", .text).notNull()
                t.column("created", .integer).notNull()
            }
            try db.create(table: "datatoken") { t in
                t.primaryKey("address", .text)
                t.column("nft", .text).notNull().references("nft", column: "address")
                t.column("minter", .text).notNull()
                t.column("name", .text).notNull()
                t.column("symbol", .text).notNull()
                t.column("serviceId", .text).notNull()
            }
            try db.create(table: "balance") { t in
                t.column("token", .text).notNull()
                t.column("holder", .text).notNull()
                t.column("amount", .text).notNull()
                t.primaryKey(["token", "holder"])
            }
            try db.create(table: "tokenOrder") { t in
                t.primaryKey("transactionId", .text)
                t.column("reusedOrderId", .text)
                t.column("datatoken", .text).notNull()
                t.column("consumer", .text).notNull()
                t.column("payer", .text).notNull()
                t.column("serviceIndex", .integer).notNull()
                t.column("amount", .text).notNull()
                t.column("providerFee", .text).notNull()
                t.column("timestamp", .integer).notNull()
            }
        }
        migrator.registerMigration("v3-jobs") { db in
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
            // Each order (first or reuse) pays for one job, whichever ledger recorded it.
            try db.create(table: "orderUse") { t in
                t.primaryKey("transactionId", .text)
                t.column("jobId", .text).notNull()
            }
        }
        migrator.registerMigration("v4-chain-index") { db in
            // How far the EVM indexer got on each chain (see IndexedAssetStore).
            try db.create(table: "chainCursor") { t in
                t.primaryKey("chainId", .integer)
                t.column("blockNumber", .integer).notNull()
                t.column("blockHash", .text).notNull()
            }
        }
        migrator.registerMigration("v5-asset-search") { db in
            // The metadata cache's query route (SQLiteStore+Search), filled from the assets already here.
            // (As released, v5 also filled them; v6 refills them, so a fresh database skips that.)
            try Self.createSearchTables(db)
        }
        migrator.registerMigration("v6-asset-sort-keys") { db in
            // The commonly sorted fields as columns (SearchSortKeys), and every asset reindexed.
            try Self.addSortKeysAndReindex(db)
        }
        migrator.registerMigration("v7-job-queue") { db in
            // The queue replicas share (JobQueueStore): who holds each job, until when, and
            // whether another replica asked it to stop.
            try db.execute(sql: "ALTER TABLE job ADD COLUMN replica TEXT")
            try db.execute(sql: "ALTER TABLE job ADD COLUMN leaseUntil REAL")
            try db.execute(sql: "ALTER TABLE job ADD COLUMN stopAsked INTEGER NOT NULL DEFAULT 0")
            try db.create(index: "job_queue", on: "job", columns: ["environment", "status"])
            try db.create(index: "job_holder", on: "job", columns: ["replica"])
        }
        return migrator
    }
}
