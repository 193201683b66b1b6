import SluiceCore

/// The node's job, nonce, asset and order-use stores in memory, for unit tests of the
/// rules above them. It keeps each store protocol's promises as the SQLite store does
/// (one actor turn per transaction): a stale nonce or a used order stores nothing.
public actor InMemoryStore: NonceStore, JobStore, AssetStore, OrderUseStore {
    private var nonces: [String: UInt64] = [:]
    private var records: [String: (order: Int, record: JobRecord)] = [:]
    private var transitionLog: [String: [JobTransition]] = [:]
    private var orderUse: [String: String] = [:]
    private var ddos: [DID: DDO] = [:]
    private var inserted = 0
    private var holds: [String: (hold: JobHold, stopAsked: Bool)] = [:]
    private var renewalsFail = false
    /// How many renewals failed while `failRenewals(true)` was in force.
    public private(set) var failedRenewals = 0

    /// The database a replica lost: while `failing`, every renewal of holds throws.
    public struct Unreachable: Error {}

    public init() {}

    /// Makes renewals fail (true) or work again (false), as a replica cut off from its
    /// database and reconnected sees them.
    public func failRenewals(_ failing: Bool) { renewalsFail = failing }

    // MARK: Assets

    /// Puts an asset where `asset(_:)` finds it.
    public func put(_ ddo: DDO) { ddos[ddo.id] = ddo }

    public func asset(_ did: DID) -> DDO? { ddos[did] }

    // MARK: Nonces

    public func lastNonce(of address: EthereumAddress) -> UInt64 { nonces[address.lowercased] ?? 0 }

    public func consume(_ nonce: Nonce, of address: EthereumAddress) throws {
        try nonce.requireFresh(last: lastNonce(of: address))
        nonces[address.lowercased] = nonce.value
    }

    // MARK: Orders

    public func jobPaid(by transactionId: String) -> String? { orderUse[transactionId.lowercased()] }

    // MARK: Jobs

    public func insert(_ job: JobRecord) throws {
        guard records[job.jobId] == nil else { throw JobStoreError.duplicateJob }
        guard job.ownerAddress != nil else { throw JobStoreError.ownerIsNotAnAddress }
        inserted += 1
        records[job.jobId] = (inserted, job)
        transitionLog[job.jobId] = [JobTransition(status: job.status, at: job.statusChangedAt)]
    }

    public func insert(_ job: JobRecord, admitting admission: JobAdmission) throws {
        // Every check before any write: a refusal leaves the store as it was.
        try admission.authorization.nonce.requireFresh(last: lastNonce(of: admission.authorization.signer))
        for order in admission.orderKeys {
            if let used = orderUse[order] { throw AdmissionError.orderAlreadyUsed(order: order, job: used) }
        }
        if let room = admission.room, activeJobs(environment: room.environment).total >= room.capacity {
            throw AdmissionError.environmentFull(environment: room.environment)
        }
        try insert(job)
        nonces[admission.authorization.signer.lowercased] = admission.authorization.nonce.value
        for order in admission.orderKeys { orderUse[order] = job.jobId }
    }

    public func update(_ job: JobRecord) throws { try update(job, releasingOrders: false) }

    public func update(_ job: JobRecord, releasingOrders: Bool) throws {
        guard let stored = records[job.jobId] else { throw JobStoreError.unknownJob }
        if releasingOrders { orderUse = orderUse.filter { $0.value != job.jobId } }
        if stored.record.status != job.status {
            transitionLog[job.jobId, default: []].append(JobTransition(status: job.status, at: job.statusChangedAt))
        }
        records[job.jobId] = (stored.order, job)
        if (try? JobRow(job))?.releasesHold == true { holds[job.jobId] = nil }
    }

    public func job(id: String) -> JobRecord? { records[id]?.record }

    public func jobs(owner: EthereumAddress, documentId: String?) -> [JobRecord] {
        records.values
            .filter { $0.record.ownerAddress == owner && (documentId == nil || $0.record.documentId == documentId) }
            .sorted { ($0.record.dateCreated, $0.order) > ($1.record.dateCreated, $1.order) }
            .map(\.record)
    }

    public func jobs(owner: EthereumAddress, documentId: String?, authorizedBy nonce: Nonce) throws -> [JobRecord] {
        try consume(nonce, of: owner)
        return jobs(owner: owner, documentId: documentId)
    }

    public func jobs(matching filter: JobFilter) -> [JobRecord] {
        Array(records.values.filter { filter.matches($0.record) }
            .sorted { ($0.record.dateCreated, $0.order) > ($1.record.dateCreated, $1.order) }
            .map(\.record).prefix(max(filter.limit, 0)))
    }

    public func unfinishedJobs() -> [JobRecord] {
        records.values.filter { !$0.record.status.isTerminal }
            .sorted { ($0.record.dateCreated, $0.order) < ($1.record.dateCreated, $1.order) }
            .map(\.record)
    }

    public func finishedJobs(environment: String, before time: Double) -> [JobRecord] {
        records.values.map(\.record)
            .filter { $0.environment == environment && ($0.dateFinished.map { $0 < time } ?? false) }
            .sorted { ($0.dateFinished ?? 0) < ($1.dateFinished ?? 0) }
    }

    public func transitions(of jobId: String) -> [JobTransition] { transitionLog[jobId] ?? [] }

    @discardableResult
    public func deleteJob(id: String) -> Bool {
        defer {
            records[id] = nil
            transitionLog[id] = nil
            holds[id] = nil
        }
        return records[id] != nil
    }

    // MARK: The shared queue

    private func unfinished(_ environment: String? = nil) -> [(order: Int, record: JobRecord)] {
        records.values.filter { !$0.record.status.isTerminal && (environment == nil || $0.record.environment == environment) }
            .sorted { ($0.record.dateCreated, $0.order) < ($1.record.dateCreated, $1.order) }
    }

    public func claimNext(environment: String, slots: Int, for hold: JobHold) -> JobRecord? {
        let jobs = unfinished(environment)
        guard jobs.filter({ holds[$0.record.jobId] != nil }).count < slots,
              let next = jobs.first(where: { $0.record.status == .warmingUp && holds[$0.record.jobId] == nil }) else { return nil }
        holds[next.record.jobId] = (hold, false)
        return next.record
    }

    public func renew(_ jobIds: [String], hold: JobHold) throws -> HoldRenewal {
        if renewalsFail {
            failedRenewals += 1
            throw Unreachable()
        }
        var renewal = HoldRenewal()
        for id in jobIds {
            guard let held = holds[id] else { continue }
            guard held.hold.replica == hold.replica else { renewal.takenOver.insert(id); continue }
            holds[id]?.hold.until = hold.until
            if held.stopAsked { renewal.stopAsked.insert(id) }
        }
        return renewal
    }

    public func hold(_ jobId: String, for hold: JobHold, now: Double) -> Bool {
        guard records[jobId] != nil else { return false }
        if let held = holds[jobId], held.hold.replica != hold.replica, held.hold.until >= now { return false }
        holds[jobId] = (hold, false)
        return true
    }

    public func release(_ jobIds: [String], replica: String) {
        for id in jobIds where holds[id]?.hold.replica == replica { holds[id] = nil }
    }

    public func holders() -> Set<String> {
        Set(unfinished().compactMap { holds[$0.record.jobId]?.hold.replica })
    }

    public func jobHolds() -> [String: JobHold] {
        var out: [String: JobHold] = [:]
        for job in unfinished() { if let held = holds[job.record.jobId] { out[job.record.jobId] = held.hold } }
        return out
    }

    public func takeOver(for hold: JobHold, now: Double, dead: Set<String>) -> [JobRecord] {
        unfinished().map(\.record).filter { record in
            if let held = holds[record.jobId] {
                guard (held.hold.replica != hold.replica && held.hold.until < now) || dead.contains(held.hold.replica) else { return false }
            } else if record.status == .warmingUp || record.status == .filteringResults {
                return false
            }
            holds[record.jobId] = (hold, holds[record.jobId]?.stopAsked ?? false)
            return true
        }
    }

    public func activeJobs(environment: String) -> ActiveJobs {
        var active = ActiveJobs()
        for (_, record) in unfinished(environment) {
            let held = holds[record.jobId] != nil, waiting = record.status == .warmingUp
            if held && !waiting { active.running += 1 } else if held { active.heldWaiting += 1 } else if waiting { active.waiting += 1 }
        }
        return active
    }

    public func askStop(jobId: String, hold: JobHold) -> StopDelivery {
        guard let record = records[jobId]?.record, !record.status.isTerminal else { return .nothingRuns }
        if holds[jobId] != nil {
            holds[jobId]?.stopAsked = true
            return .marked
        }
        guard record.status == .warmingUp else { return .nothingRuns }
        holds[jobId] = (hold, false)
        return .claimed(record)
    }
}
