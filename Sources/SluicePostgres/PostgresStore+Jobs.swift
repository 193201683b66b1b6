import Foundation
import Logging
import PostgresNIO
public import SluiceCore

extension PostgresStore: OrderUseStore {
    public func jobPaid(by transactionId: String) async throws -> String? {
        try await client.withConnection { connection in
            try await Self.jobPaid(connection, transactionId.lowercased(), logger: self.logger)
        }
    }

    static func jobPaid(_ connection: PostgresConnection, _ key: String, logger: Logger) async throws -> String? {
        let rows = try await connection.query(#"SELECT "jobId" FROM "orderUse" WHERE "transactionId" = \#(key)"#, logger: logger)
        for try await jobId in rows.decode(String.self) { return jobId }
        return nil
    }
}

extension PostgresStore: JobStore {
    public func insert(_ job: JobRecord) async throws {
        let row = try JobRow(job)
        try await transaction { connection in try await Self.insert(connection, row, logger: self.logger) }
    }

    /// The nonce, the orders and the job in one transaction. The nonce's upsert serialises
    /// requests of one signer; each order's row is claimed by an insert that waits for any
    /// other transaction claiming it, so an order pays for one job across connections too.
    public func insert(_ job: JobRecord, admitting admission: JobAdmission) async throws {
        let row = try JobRow(job)
        try await transaction { connection in
            try await Self.consume(connection, admission.authorization.nonce, admission.authorization.signer, logger: self.logger)
            if let room = admission.room {
                try await Self.lockQueue(connection, of: room.environment, logger: self.logger)
                if try await Self.activeJobs(connection, environment: room.environment, logger: self.logger).total >= room.capacity {
                    throw AdmissionError.environmentFull(environment: room.environment)
                }
            }
            for order in admission.orderKeys {
                let claimed = try await connection.query(#"""
                    INSERT INTO "orderUse" ("transactionId", "jobId") VALUES (\#(order), \#(row.jobId))
                    ON CONFLICT ("transactionId") DO NOTHING RETURNING "jobId"
                    """#, logger: self.logger).collect()
                if claimed.isEmpty {
                    let used = try await Self.jobPaid(connection, order, logger: self.logger) ?? ""
                    throw AdmissionError.orderAlreadyUsed(order: order, job: used)
                }
            }
            try await Self.insert(connection, row, logger: self.logger)
        }
    }

    public func update(_ job: JobRecord) async throws {
        try await update(job, releasingOrders: false)
    }

    public func update(_ job: JobRecord, releasingOrders: Bool) async throws {
        let row = try JobRow(job)
        try await transaction { connection in
            if releasingOrders {
                try await connection.query(#"DELETE FROM "orderUse" WHERE "jobId" = \#(row.jobId)"#, logger: self.logger)
            }
            // The old status, read under the row's lock, and the new one written.
            let rows = try await connection.query(#"""
                WITH old AS (SELECT status FROM job WHERE "jobId" = \#(row.jobId) FOR UPDATE)
                UPDATE job SET status = \#(row.status), "dateFinished" = \#(row.dateFinished), record = \#(row.json)
                FROM old WHERE job."jobId" = \#(row.jobId) RETURNING old.status
                """#, logger: self.logger)
            var stored: Int?
            for try await status in rows.decode(Int.self) { stored = status }
            guard let stored else { throw JobStoreError.unknownJob }
            if row.releasesHold {
                try await connection.query(#"""
                    UPDATE job SET replica = NULL, "leaseUntil" = NULL, "stopAsked" = false WHERE "jobId" = \#(row.jobId)
                    """#, logger: self.logger)
            }
            if stored != row.status {
                try await connection.query(#"""
                    INSERT INTO "jobTransition" ("jobId", status, at) VALUES (\#(row.jobId), \#(row.status), \#(row.statusChangedAt))
                    """#, logger: self.logger)
            }
        }
    }

    public func job(id: String) async throws -> JobRecord? {
        try await records(#"SELECT record FROM job WHERE "jobId" = \#(id)"#).first
    }

    public func jobs(owner: EthereumAddress, documentId: String?) async throws -> [JobRecord] {
        try await records(Self.ownerQuery(owner, documentId))
    }

    public func jobs(owner: EthereumAddress, documentId: String?, authorizedBy nonce: Nonce) async throws -> [JobRecord] {
        try await transaction { connection in
            try await Self.consume(connection, nonce, owner, logger: self.logger)
            return try await Self.records(connection, Self.ownerQuery(owner, documentId), logger: self.logger)
        }
    }

    static func ownerQuery(_ owner: EthereumAddress, _ documentId: String?) -> PostgresQuery {
        if let documentId {
            return #"""
                SELECT record FROM job WHERE "ownerKey" = \#(owner.lowercased) AND "documentId" = \#(documentId)
                ORDER BY "dateCreated" DESC, seq DESC
                """#
        }
        return #"SELECT record FROM job WHERE "ownerKey" = \#(owner.lowercased) ORDER BY "dateCreated" DESC, seq DESC"#
    }

    public func jobs(matching filter: JobFilter) async throws -> [JobRecord] {
        // A filter left out binds NULL and keeps every row.
        let status = filter.status?.rawValue, owner = filter.owner?.lowercased, document = filter.documentId
        let from = filter.createdFrom, until = filter.createdUntil
        return try await records(#"""
            SELECT record FROM job
            WHERE (\#(status)::bigint IS NULL OR status = \#(status))
              AND (\#(owner)::text IS NULL OR "ownerKey" = \#(owner))
              AND (\#(document)::text IS NULL OR "documentId" = \#(document))
              AND (\#(from)::double precision IS NULL OR "dateCreated" >= \#(from))
              AND (\#(until)::double precision IS NULL OR "dateCreated" < \#(until))
            ORDER BY "dateCreated" DESC, seq DESC LIMIT \#(max(filter.limit, 0))
            """#)
    }

    public func unfinishedJobs() async throws -> [JobRecord] {
        let terminal = JobStatusCode.allCases.filter(\.isTerminal).map(\.rawValue)
        return try await records(#"SELECT record FROM job WHERE NOT (status = ANY(\#(terminal))) ORDER BY "dateCreated" ASC, seq ASC"#)
    }

    public func finishedJobs(environment: String, before time: Double) async throws -> [JobRecord] {
        try await records(#"""
            SELECT record FROM job WHERE environment = \#(environment) AND "dateFinished" IS NOT NULL AND "dateFinished" < \#(time)
            ORDER BY "dateFinished" ASC
            """#)
    }

    public func transitions(of jobId: String) async throws -> [JobTransition] {
        let rows = try await client.query(#"SELECT status, at FROM "jobTransition" WHERE "jobId" = \#(jobId) ORDER BY seq ASC"#,
                                          logger: logger)
        var out: [JobTransition] = []
        for try await (code, at) in rows.decode((Int, Double).self) {
            if let status = JobStatusCode(rawValue: code) { out.append(JobTransition(status: status, at: at)) }
        }
        return out
    }

    @discardableResult
    public func deleteJob(id: String) async throws -> Bool {
        try await transaction { connection in
            try await connection.query(#"DELETE FROM "jobTransition" WHERE "jobId" = \#(id)"#, logger: self.logger)
            // A second replica deleting at once waits for the row, then finds it gone.
            var removed = false
            for try await _ in try await connection.query(#"DELETE FROM job WHERE "jobId" = \#(id) RETURNING "jobId""#,
                                                          logger: self.logger) { removed = true }
            return removed
        }
    }

    func records(_ query: PostgresQuery) async throws -> [JobRecord] {
        try await client.withConnection { connection in try await Self.records(connection, query, logger: self.logger) }
    }

    static func records(_ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws -> [JobRecord] {
        var out: [JobRecord] = []
        for try await json in try await connection.query(query, logger: logger).decode(String.self) {
            out.append(try JobRow.decode(json))
        }
        return out
    }

    static func insert(_ connection: PostgresConnection, _ row: JobRow, logger: Logger) async throws {
        do {
            try await connection.query(#"""
                INSERT INTO job ("jobId", "ownerKey", "documentId", environment, status, "dateCreated", "dateFinished", record)
                VALUES (\#(row.jobId), \#(row.ownerKey), \#(row.documentId), \#(row.environment), \#(row.status),
                        \#(row.dateCreated), \#(row.dateFinished), \#(row.json))
                """#, logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == PostgresError.Code.uniqueViolation.raw {
            throw JobStoreError.duplicateJob
        }
        try await connection.query(#"""
            INSERT INTO "jobTransition" ("jobId", status, at) VALUES (\#(row.jobId), \#(row.status), \#(row.statusChangedAt))
            """#, logger: logger)
    }
}
