import Foundation
import GRDB
public import SluiceCore

/// The shared queue on SQLite: one writer at a time, so each method's transaction sees
/// and changes the holds alone. (Replicas need PostgreSQL; one node uses the same rules.)
extension SQLiteStore: JobQueueStore {
    static let unfinished = "status NOT IN (\(JobRow.terminalStatuses.map(String.init).joined(separator: ",")))"

    public func claimNext(environment: String, slots: Int, for hold: JobHold) async throws -> JobRecord? {
        let json = try await writer.write { db -> String? in
            let held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE environment = ? AND replica IS NOT NULL AND \(Self.unfinished)",
                                        arguments: [environment]) ?? 0
            guard held < slots,
                  let row = try Row.fetchOne(db, sql: """
                      SELECT jobId, record FROM job WHERE environment = ? AND status = ? AND replica IS NULL
                      ORDER BY dateCreated ASC, rowid ASC LIMIT 1
                      """, arguments: [environment, JobStatusCode.warmingUp.rawValue]) else { return nil }
            let jobId: String = row["jobId"]
            try db.execute(sql: "UPDATE job SET replica = ?, leaseUntil = ?, stopAsked = 0 WHERE jobId = ?",
                           arguments: [hold.replica, hold.until, jobId])
            return row["record"]
        }
        return try json.map(JobRow.decode)
    }

    public func renew(_ jobIds: [String], hold: JobHold) async throws -> HoldRenewal {
        guard !jobIds.isEmpty else { return HoldRenewal() }
        let marks = Self.placeholders(jobIds.count)
        return try await writer.write { db in
            try db.execute(sql: "UPDATE job SET leaseUntil = ? WHERE replica = ? AND jobId IN (\(marks))",
                           arguments: [hold.until, hold.replica] + StatementArguments(jobIds))
            let stopping = Set(try String.fetchAll(db, sql: "SELECT jobId FROM job WHERE replica = ? AND stopAsked = 1 AND jobId IN (\(marks))",
                                                   arguments: [hold.replica] + StatementArguments(jobIds)))
            let taken = Set(try String.fetchAll(db, sql: "SELECT jobId FROM job WHERE replica IS NOT NULL AND replica != ? AND jobId IN (\(marks))",
                                                arguments: [hold.replica] + StatementArguments(jobIds)))
            return HoldRenewal(stopAsked: stopping, takenOver: taken)
        }
    }

    public func hold(_ jobId: String, for hold: JobHold, now: Double) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE job SET replica = ?, leaseUntil = ?, stopAsked = 0
                WHERE jobId = ? AND (replica IS NULL OR replica = ? OR leaseUntil < ?)
                """, arguments: [hold.replica, hold.until, jobId, hold.replica, now])
            return db.changesCount == 1
        }
    }

    public func release(_ jobIds: [String], replica: String) async throws {
        guard !jobIds.isEmpty else { return }
        try await writer.write { db in
            try db.execute(sql: "UPDATE job SET replica = NULL, leaseUntil = NULL WHERE replica = ? AND jobId IN (\(Self.placeholders(jobIds.count)))",
                           arguments: [replica] + StatementArguments(jobIds))
        }
    }

    public func holders() async throws -> Set<String> {
        Set(try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT replica FROM job WHERE replica IS NOT NULL AND \(Self.unfinished)")
        })
    }

    public func jobHolds() async throws -> [String: JobHold] {
        try await writer.read { db in
            var out: [String: JobHold] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT jobId, replica, leaseUntil FROM job WHERE replica IS NOT NULL AND \(Self.unfinished)") {
                out[row["jobId"]] = JobHold(replica: row["replica"], until: row["leaseUntil"] ?? 0)
            }
            return out
        }
    }

    public func takeOver(for hold: JobHold, now: Double, dead: Set<String>) async throws -> [JobRecord] {
        let deadList = Array(dead)
        let rows = try await writer.write { db -> [String] in
            let condition = """
                \(Self.unfinished) AND ((replica IS NULL AND status NOT IN (?, ?)) OR (replica != ? AND leaseUntil < ?)
                \(deadList.isEmpty ? "" : " OR replica IN (\(Self.placeholders(deadList.count)))"))
                """
            let arguments: StatementArguments = [JobStatusCode.warmingUp.rawValue, JobStatusCode.filteringResults.rawValue,
                                                 hold.replica, now] + StatementArguments(deadList)
            let taken = try Row.fetchAll(db, sql: "SELECT jobId, record FROM job WHERE \(condition) ORDER BY dateCreated ASC, rowid ASC",
                                         arguments: arguments)
            for row in taken {
                try db.execute(sql: "UPDATE job SET replica = ?, leaseUntil = ? WHERE jobId = ?",
                               arguments: [hold.replica, hold.until, row["jobId"] as String])
            }
            return taken.map { $0["record"] }
        }
        return try rows.map(JobRow.decode)
    }

    public func activeJobs(environment: String) async throws -> ActiveJobs {
        try await writer.read { db in try Self.activeJobs(db, environment: environment) }
    }

    static func activeJobs(_ db: Database, environment: String) throws -> ActiveJobs {
        let row = try Row.fetchOne(db, sql: """
            SELECT COALESCE(SUM(replica IS NOT NULL AND status != ?), 0) AS running,
                   COALESCE(SUM(replica IS NOT NULL AND status = ?), 0) AS heldWaiting,
                   COALESCE(SUM(replica IS NULL AND status = ?), 0) AS waiting
            FROM job WHERE environment = ? AND \(unfinished)
            """, arguments: [JobStatusCode.warmingUp.rawValue, JobStatusCode.warmingUp.rawValue, JobStatusCode.warmingUp.rawValue,
                             environment])
        return ActiveJobs(running: row?["running"] ?? 0, heldWaiting: row?["heldWaiting"] ?? 0, waiting: row?["waiting"] ?? 0)
    }

    public func askStop(jobId: String, hold: JobHold) async throws -> StopDelivery {
        try await writer.write { db -> StopDelivery in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, replica, record FROM job WHERE jobId = ? AND \(Self.unfinished)",
                                             arguments: [jobId]) else { return .nothingRuns }
            let status: Int = row["status"]
            let holder: String? = row["replica"]
            switch holder {
            case nil where status == JobStatusCode.warmingUp.rawValue:
                try db.execute(sql: "UPDATE job SET replica = ?, leaseUntil = ?, stopAsked = 0 WHERE jobId = ?",
                               arguments: [hold.replica, hold.until, jobId])
                return .claimed(try JobRow.decode(row["record"]))
            case nil:
                return .nothingRuns
            default:
                try db.execute(sql: "UPDATE job SET stopAsked = 1 WHERE jobId = ?", arguments: [jobId])
                return .marked
            }
        }
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }
}
