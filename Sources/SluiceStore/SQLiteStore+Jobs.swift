import Foundation
import GRDB
public import SluiceCore

extension SQLiteStore: OrderUseStore {
    public func jobPaid(by transactionId: String) async throws -> String? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT jobId FROM orderUse WHERE transactionId = ?", arguments: [transactionId.lowercased()])
        }
    }
}

extension SQLiteStore: JobStore {
    public func insert(_ job: JobRecord) async throws {
        let row = try JobRow(job)
        try await writer.write { db in try Self.insert(db, row) }
    }

    public func insert(_ job: JobRecord, admitting admission: JobAdmission) async throws {
        let row = try JobRow(job)
        try await writer.write { db in
            try Self.consume(db, admission.authorization.nonce, admission.authorization.signer)
            if let room = admission.room, try Self.activeJobs(db, environment: room.environment).total >= room.capacity {
                throw AdmissionError.environmentFull(environment: room.environment)
            }
            for order in admission.orderKeys {
                if let used = try String.fetchOne(db, sql: "SELECT jobId FROM orderUse WHERE transactionId = ?", arguments: [order]) {
                    throw AdmissionError.orderAlreadyUsed(order: order, job: used)
                }
                try db.execute(sql: "INSERT INTO orderUse (transactionId, jobId) VALUES (?, ?)", arguments: [order, row.jobId])
            }
            try Self.insert(db, row)
        }
    }

    public func update(_ job: JobRecord) async throws {
        try await update(job, releasingOrders: false)
    }

    public func update(_ job: JobRecord, releasingOrders: Bool) async throws {
        let row = try JobRow(job)
        try await writer.write { db in
            if releasingOrders { try db.execute(sql: "DELETE FROM orderUse WHERE jobId = ?", arguments: [row.jobId]) }
            let stored = try Int.fetchOne(db, sql: "SELECT status FROM job WHERE jobId = ?", arguments: [row.jobId])
            guard let stored else { throw JobStoreError.unknownJob }
            try db.execute(
                sql: "UPDATE job SET status = ?, dateFinished = ?, record = ? WHERE jobId = ?",
                arguments: [row.status, row.dateFinished, row.json, row.jobId])
            if row.releasesHold {
                try db.execute(sql: "UPDATE job SET replica = NULL, leaseUntil = NULL, stopAsked = 0 WHERE jobId = ?",
                               arguments: [row.jobId])
            }
            if stored != row.status {
                try db.execute(
                    sql: "INSERT INTO jobTransition (jobId, status, at) VALUES (?, ?, ?)",
                    arguments: [row.jobId, row.status, row.statusChangedAt])
            }
        }
    }

    public func job(id: String) async throws -> JobRecord? {
        let json = try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT record FROM job WHERE jobId = ?", arguments: [id])
        }
        return try json.map(JobRow.decode)
    }

    public func jobs(owner: EthereumAddress, documentId: String?) async throws -> [JobRecord] {
        try await writer.read { db in try Self.jobRecords(db, owner, documentId) }.map(JobRow.decode)
    }

    public func jobs(owner: EthereumAddress, documentId: String?, authorizedBy nonce: Nonce) async throws -> [JobRecord] {
        try await writer.write { db in
            try Self.consume(db, nonce, owner)
            return try Self.jobRecords(db, owner, documentId)
        }.map(JobRow.decode)
    }

    static func jobRecords(_ db: Database, _ owner: EthereumAddress, _ documentId: String?) throws -> [String] {
        if let documentId {
            return try String.fetchAll(db, sql: """
                SELECT record FROM job WHERE ownerKey = ? AND documentId = ?
                ORDER BY dateCreated DESC, rowid DESC
                """, arguments: [owner.lowercased, documentId])
        }
        return try String.fetchAll(db, sql: """
            SELECT record FROM job WHERE ownerKey = ? ORDER BY dateCreated DESC, rowid DESC
            """, arguments: [owner.lowercased])
    }

    public func jobs(matching filter: JobFilter) async throws -> [JobRecord] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let status = filter.status { clauses.append("status = ?"); arguments += [status.rawValue] }
        if let owner = filter.owner { clauses.append("ownerKey = ?"); arguments += [owner.lowercased] }
        if let documentId = filter.documentId { clauses.append("documentId = ?"); arguments += [documentId] }
        if let from = filter.createdFrom { clauses.append("dateCreated >= ?"); arguments += [from] }
        if let until = filter.createdUntil { clauses.append("dateCreated < ?"); arguments += [until] }
        arguments += [max(filter.limit, 0)]
        let condition = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let rows = try await writer.read { [arguments] db in
            try String.fetchAll(db, sql: "SELECT record FROM job \(condition) ORDER BY dateCreated DESC, rowid DESC LIMIT ?",
                                arguments: arguments)
        }
        return try rows.map(JobRow.decode)
    }

    public func unfinishedJobs() async throws -> [JobRecord] {
        let terminal = JobStatusCode.allCases.filter(\.isTerminal).map(\.rawValue)
        let rows = try await writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT record FROM job WHERE status NOT IN (\(terminal.map(String.init).joined(separator: ",")))
                ORDER BY dateCreated ASC, rowid ASC
                """)
        }
        return try rows.map(JobRow.decode)
    }

    public func finishedJobs(environment: String, before time: Double) async throws -> [JobRecord] {
        let rows = try await writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT record FROM job WHERE environment = ? AND dateFinished IS NOT NULL AND dateFinished < ?
                ORDER BY dateFinished ASC
                """, arguments: [environment, time])
        }
        return try rows.map(JobRow.decode)
    }

    public func transitions(of jobId: String) async throws -> [JobTransition] {
        try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT status, at FROM jobTransition WHERE jobId = ? ORDER BY rowid ASC",
                                        arguments: [jobId])
            return rows.compactMap { row in
                let code: Int = row["status"]
                return JobStatusCode(rawValue: code).map { JobTransition(status: $0, at: row["at"]) }
            }
        }
    }

    @discardableResult
    public func deleteJob(id: String) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM jobTransition WHERE jobId = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM job WHERE jobId = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    static func insert(_ db: Database, _ row: JobRow) throws {
        try db.execute(sql: """
            INSERT INTO job (jobId, ownerKey, documentId, environment, status, dateCreated, dateFinished, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [row.jobId, row.ownerKey, row.documentId, row.environment, row.status,
                             row.dateCreated, row.dateFinished, row.json])
        try db.execute(sql: "INSERT INTO jobTransition (jobId, status, at) VALUES (?, ?, ?)",
                       arguments: [row.jobId, row.status, row.statusChangedAt])
    }
}
