import Foundation
import Logging
import PostgresNIO
public import SluiceCore

/// The shared queue on PostgreSQL. Claims and admissions of one environment take its
/// advisory transaction lock, so the count of its held jobs and the claim that follows it
/// are one step across every replica; rows are claimed with `FOR UPDATE SKIP LOCKED`, so
/// replicas never wait on one another's rows.
extension PostgresStore: JobQueueStore {
    static let waitingStatus = JobStatusCode.warmingUp.rawValue

    public func claimNext(environment: String, slots: Int, for hold: JobHold) async throws -> JobRecord? {
        try await transaction { connection in
            try await Self.lockQueue(connection, of: environment, logger: self.logger)
            var held = 0
            for try await count in try await connection.query(#"""
                SELECT COUNT(*) FROM job WHERE environment = \#(environment) AND replica IS NOT NULL
                AND NOT (status = ANY(\#(JobRow.terminalStatuses)))
                """#, logger: self.logger).decode(Int.self) { held = count }
            guard held < slots else { return nil }
            let rows = try await connection.query(#"""
                UPDATE job SET replica = \#(hold.replica), "leaseUntil" = \#(hold.until), "stopAsked" = false
                WHERE "jobId" = (SELECT "jobId" FROM job WHERE environment = \#(environment) AND status = \#(Self.waitingStatus)
                                 AND replica IS NULL ORDER BY "dateCreated" ASC, seq ASC LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING record
                """#, logger: self.logger)
            for try await json in rows.decode(String.self) { return try JobRow.decode(json) }
            return nil
        }
    }

    public func renew(_ jobIds: [String], hold: JobHold) async throws -> HoldRenewal {
        guard !jobIds.isEmpty else { return HoldRenewal() }
        let rows = try await client.query(#"""
            UPDATE job SET "leaseUntil" = \#(hold.until) WHERE replica = \#(hold.replica) AND "jobId" = ANY(\#(jobIds))
            RETURNING "jobId", "stopAsked"
            """#, logger: logger)
        var renewal = HoldRenewal()
        for try await (jobId, asked) in rows.decode((String, Bool).self) where asked { renewal.stopAsked.insert(jobId) }
        let taken = try await client.query(#"""
            SELECT "jobId" FROM job WHERE replica IS NOT NULL AND replica <> \#(hold.replica) AND "jobId" = ANY(\#(jobIds))
            """#, logger: logger)
        for try await jobId in taken.decode(String.self) { renewal.takenOver.insert(jobId) }
        return renewal
    }

    public func hold(_ jobId: String, for hold: JobHold, now: Double) async throws -> Bool {
        let rows = try await client.query(#"""
            UPDATE job SET replica = \#(hold.replica), "leaseUntil" = \#(hold.until), "stopAsked" = false
            WHERE "jobId" = \#(jobId) AND (replica IS NULL OR replica = \#(hold.replica) OR "leaseUntil" < \#(now))
            RETURNING "jobId"
            """#, logger: logger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }

    public func release(_ jobIds: [String], replica: String) async throws {
        guard !jobIds.isEmpty else { return }
        try await client.query(#"""
            UPDATE job SET replica = NULL, "leaseUntil" = NULL WHERE replica = \#(replica) AND "jobId" = ANY(\#(jobIds))
            """#, logger: logger)
    }

    public func holders() async throws -> Set<String> {
        let rows = try await client.query(#"""
            SELECT DISTINCT replica FROM job WHERE replica IS NOT NULL AND NOT (status = ANY(\#(JobRow.terminalStatuses)))
            """#, logger: logger)
        var out = Set<String>()
        for try await replica in rows.decode(String.self) { out.insert(replica) }
        return out
    }

    public func jobHolds() async throws -> [String: JobHold] {
        let rows = try await client.query(#"""
            SELECT "jobId", replica, COALESCE("leaseUntil", 0) FROM job
            WHERE replica IS NOT NULL AND NOT (status = ANY(\#(JobRow.terminalStatuses)))
            """#, logger: logger)
        var out: [String: JobHold] = [:]
        for try await (jobId, replica, until) in rows.decode((String, String, Double).self) {
            out[jobId] = JobHold(replica: replica, until: until)
        }
        return out
    }

    public func takeOver(for hold: JobHold, now: Double, dead: Set<String>) async throws -> [JobRecord] {
        let rows = try await client.query(#"""
            UPDATE job SET replica = \#(hold.replica), "leaseUntil" = \#(hold.until)
            WHERE "jobId" IN (SELECT "jobId" FROM job WHERE NOT (status = ANY(\#(JobRow.terminalStatuses)))
                              AND ((replica IS NULL AND NOT (status = ANY(\#([Self.waitingStatus, JobStatusCode.filteringResults.rawValue]))))
                                   OR (replica <> \#(hold.replica) AND "leaseUntil" < \#(now)) OR replica = ANY(\#(Array(dead))))
                              FOR UPDATE SKIP LOCKED)
            RETURNING record
            """#, logger: logger)
        var out: [JobRecord] = []
        for try await json in rows.decode(String.self) { out.append(try JobRow.decode(json)) }
        return out.sorted { $0.dateCreated < $1.dateCreated }
    }

    public func activeJobs(environment: String) async throws -> ActiveJobs {
        try await client.withConnection { connection in
            try await Self.activeJobs(connection, environment: environment, logger: self.logger)
        }
    }

    static func activeJobs(_ connection: PostgresConnection, environment: String, logger: Logger) async throws -> ActiveJobs {
        let rows = try await connection.query(#"""
            SELECT COUNT(*) FILTER (WHERE replica IS NOT NULL AND status <> \#(waitingStatus)),
                   COUNT(*) FILTER (WHERE replica IS NOT NULL AND status = \#(waitingStatus)),
                   COUNT(*) FILTER (WHERE replica IS NULL AND status = \#(waitingStatus))
            FROM job WHERE environment = \#(environment) AND NOT (status = ANY(\#(JobRow.terminalStatuses)))
            """#, logger: logger)
        for try await (running, heldWaiting, waiting) in rows.decode((Int, Int, Int).self) {
            return ActiveJobs(running: running, heldWaiting: heldWaiting, waiting: waiting)
        }
        return ActiveJobs()
    }

    public func askStop(jobId: String, hold: JobHold) async throws -> StopDelivery {
        try await transaction { connection in
            let rows = try await connection.query(#"""
                SELECT status, replica, record FROM job WHERE "jobId" = \#(jobId)
                AND NOT (status = ANY(\#(JobRow.terminalStatuses))) FOR UPDATE
                """#, logger: self.logger)
            var found: (Int, String?, String)?
            for try await row in rows.decode((Int, String?, String).self) { found = row }
            guard let (status, holder, json) = found else { return .nothingRuns }
            switch holder {
            case nil where status == Self.waitingStatus:
                try await connection.query(#"""
                    UPDATE job SET replica = \#(hold.replica), "leaseUntil" = \#(hold.until), "stopAsked" = false WHERE "jobId" = \#(jobId)
                    """#, logger: self.logger)
                return .claimed(try JobRow.decode(json))
            case nil:
                return .nothingRuns
            default:
                try await connection.query(#"UPDATE job SET "stopAsked" = true WHERE "jobId" = \#(jobId)"#, logger: self.logger)
                return .marked
            }
        }
    }

    /// Serialises claims and admissions of one environment until the transaction ends.
    static func lockQueue(_ connection: PostgresConnection, of environment: String, logger: Logger) async throws {
        try await connection.query(#"SELECT pg_advisory_xact_lock(hashtext(\#("sluice.queue." + environment)))"#, logger: logger)
    }
}
