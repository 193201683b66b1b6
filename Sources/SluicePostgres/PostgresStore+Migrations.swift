import PostgresNIO

extension PostgresStore {
    /// One schema change: its identifier (kept in `schemaMigration`) and its statements.
    struct Migration: Sendable {
        let identifier: String
        let statements: [String]
    }

    /// Every schema change, in order, named as SQLite's are (`SQLiteStore+Migrations.swift`)
    /// where they hold the same tables. Migrations are never edited once released: add one.
    static let migrations: [Migration] = [
        Migration(identifier: "v1-nonces", statements: [
            // Lowercase `0x` hex, so lookups are case-insensitive by construction.
            "CREATE TABLE nonce (address TEXT PRIMARY KEY, nonce BIGINT NOT NULL)",
        ]),
        Migration(identifier: "v2-assets-ledger", statements: [
            // Addresses are stored as lowercase 0x hex; amounts as decimal wei text.
            """
            CREATE TABLE asset (did TEXT PRIMARY KEY, "nftAddress" TEXT NOT NULL UNIQUE, ddo TEXT NOT NULL,
                                created BIGINT NOT NULL, updated BIGINT NOT NULL)
            """,
            "CREATE TABLE nft (address TEXT PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, symbol TEXT NOT NULL, created BIGINT NOT NULL)",
            """
            CREATE TABLE datatoken (address TEXT PRIMARY KEY, nft TEXT NOT NULL REFERENCES nft (address), minter TEXT NOT NULL,
                                    name TEXT NOT NULL, symbol TEXT NOT NULL, "serviceId" TEXT NOT NULL)
            """,
            "CREATE TABLE balance (token TEXT NOT NULL, holder TEXT NOT NULL, amount TEXT NOT NULL, PRIMARY KEY (token, holder))",
            """
            CREATE TABLE "tokenOrder" ("transactionId" TEXT PRIMARY KEY, "reusedOrderId" TEXT, datatoken TEXT NOT NULL,
                                       consumer TEXT NOT NULL, payer TEXT NOT NULL, "serviceIndex" BIGINT NOT NULL,
                                       amount TEXT NOT NULL, "providerFee" TEXT NOT NULL, timestamp BIGINT NOT NULL)
            """,
        ]),
        Migration(identifier: "v3-jobs", statements: [
            // `seq` orders jobs created in the same second, as SQLite's rowid does.
            """
            CREATE TABLE job ("jobId" TEXT PRIMARY KEY, seq BIGINT GENERATED ALWAYS AS IDENTITY,
                              "ownerKey" TEXT NOT NULL, "documentId" TEXT NOT NULL, environment TEXT NOT NULL,
                              status INTEGER NOT NULL, "dateCreated" DOUBLE PRECISION NOT NULL,
                              "dateFinished" DOUBLE PRECISION, record TEXT NOT NULL)
            """,
            #"CREATE INDEX job_owner ON job ("ownerKey", "dateCreated")"#,
            #"CREATE INDEX job_finished ON job (environment, "dateFinished")"#,
            """
            CREATE TABLE "jobTransition" (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                                          "jobId" TEXT NOT NULL REFERENCES job ("jobId") ON DELETE CASCADE,
                                          status INTEGER NOT NULL, at DOUBLE PRECISION NOT NULL)
            """,
            #"CREATE INDEX "jobTransition_job" ON "jobTransition" ("jobId")"#,
            // Each order (first or reuse) pays for one job, whichever ledger recorded it.
            #"CREATE TABLE "orderUse" ("transactionId" TEXT PRIMARY KEY, "jobId" TEXT NOT NULL)"#,
        ]),
        Migration(identifier: "v4-chain-index", statements: [
            // How far the EVM indexer got on each chain (see IndexedAssetStore).
            #"CREATE TABLE "chainCursor" ("chainId" BIGINT PRIMARY KEY, "blockNumber" BIGINT NOT NULL, "blockHash" TEXT NOT NULL)"#,
        ]),
        Migration(identifier: "v5-asset-search", statements: searchTables),
        Migration(identifier: "v7-job-queue", statements: [
            // The queue replicas share (JobQueueStore): who holds each job, until when, and
            // whether another replica asked it to stop.
            #"ALTER TABLE job ADD COLUMN replica TEXT, ADD COLUMN "leaseUntil" DOUBLE PRECISION, ADD COLUMN "stopAsked" BOOLEAN NOT NULL DEFAULT false"#,
            "CREATE INDEX job_queue ON job (environment, status)",
            "CREATE INDEX job_holder ON job (replica)",
        ]),
    ]

    /// Applies the migrations this database lacks, each in a transaction with its row in
    /// `schemaMigration`. An advisory lock held by the transaction makes nodes that start
    /// together on one database migrate one at a time.
    func migrate() async throws {
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: self.logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS "schemaMigration" (identifier TEXT PRIMARY KEY, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: self.logger)
        }
        for migration in Self.migrations {
            try await transaction { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: self.logger)
                let applied = try await connection.query(
                    #"SELECT 1 FROM "schemaMigration" WHERE identifier = \#(migration.identifier)"#, logger: self.logger).collect()
                guard applied.isEmpty else { return }
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await connection.query(#"INSERT INTO "schemaMigration" (identifier) VALUES (\#(migration.identifier))"#,
                                           logger: self.logger)
            }
        }
    }

    /// The advisory lock key of migrations (any constant; "sluice" in ASCII).
    static let migrationLock: Int64 = 0x736c_7569_6365

    /// The migrations this database has applied, in order.
    public func appliedMigrations() async throws -> [String] {
        let rows = try await client.query(#"SELECT identifier FROM "schemaMigration" ORDER BY "appliedAt", identifier"#, logger: logger)
        var out: [String] = []
        for try await identifier in rows.decode(String.self) { out.append(identifier) }
        return out
    }
}

extension PostgresStore {
    /// The identifiers of every migration, in order.
    public static var migrationIdentifiers: [String] { migrations.map(\.identifier) }
}
