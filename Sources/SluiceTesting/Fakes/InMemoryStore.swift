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

    public init() {}

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

    public func deleteJob(id: String) {
        records[id] = nil
        transitionLog[id] = nil
    }
}
