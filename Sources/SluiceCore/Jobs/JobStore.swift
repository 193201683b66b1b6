/// Where jobs are kept across restarts, and the queue replicas share (`JobQueueStore`).
/// The SQLite and PostgreSQL stores implement it; the engine writes every status
/// transition through it before anyone can observe the new state.
public protocol JobStore: JobQueueStore {
    /// Stores a new job (status 1) and its first transition.
    func insert(_ job: JobRecord) async throws

    /// Stores a new job in the same transaction as its admission: the check-and-set of
    /// the nonce that authorised it and the use of the orders that pay for it. All happen,
    /// or none (`StoreError.staleNonce` or `AdmissionError.orderAlreadyUsed`, nothing stored).
    func insert(_ job: JobRecord, admitting admission: JobAdmission) async throws

    /// Replaces the stored job; a changed status also stores a transition at `statusChangedAt`.
    func update(_ job: JobRecord) async throws

    /// The same, and in the same transaction the orders that paid for the job pay for
    /// nothing any more: a job the node could not finish does not cost its consumer.
    func update(_ job: JobRecord, releasingOrders: Bool) async throws

    func job(id: String) async throws -> JobRecord?

    /// Jobs of `owner` (case-insensitive), of `documentId` when given, newest first.
    func jobs(owner: EthereumAddress, documentId: String?) async throws -> [JobRecord]

    /// The same, read in the transaction that checks and stores the nonce authorising the
    /// query: a signed status query costs one database round trip, not two.
    func jobs(owner: EthereumAddress, documentId: String?, authorizedBy nonce: Nonce) async throws -> [JobRecord]

    /// Every owner's jobs that `filter` keeps, newest first: the operator's view.
    func jobs(matching filter: JobFilter) async throws -> [JobRecord]

    /// Jobs not in a terminal state, oldest first: what a restarted node must resume.
    func unfinishedJobs() async throws -> [JobRecord]

    /// Terminal jobs that finished before `time` (Unix seconds) in `environment`.
    func finishedJobs(environment: String, before time: Double) async throws -> [JobRecord]

    /// The stored transitions of a job, oldest first.
    func transitions(of jobId: String) async throws -> [JobTransition]

    /// Removes the job and its transitions; false when it was not there (another replica
    /// removed it first), so the caller leaves its files to that one.
    @discardableResult
    func deleteJob(id: String) async throws -> Bool
}

extension JobStore {
    /// `insert(_:admitting:)` spelled out.
    public func insert(_ job: JobRecord, authorizedBy nonce: Nonce, of address: EthereumAddress,
                       consumingOrders orders: [String]) async throws {
        try await insert(job, admitting: JobAdmission(authorization: Authorization(signer: address, nonce: nonce), orders: orders))
    }
}

public enum JobStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownJob
    case duplicateJob
    case ownerIsNotAnAddress

    public var description: String {
        switch self {
        case .unknownJob: return "the job is not in the store"
        case .duplicateJob: return "a job with this id is already in the store"
        case .ownerIsNotAnAddress: return "the job's owner is not an Ethereum address"
        }
    }
}
