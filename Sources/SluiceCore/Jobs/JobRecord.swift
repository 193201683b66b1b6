/// A job as the node keeps it: the status object's fields, the time of its last
/// transition, and (until it ends) the specification needed to run it.
public struct JobRecord: Sendable, Equatable, Codable {
    public var jobId: String
    /// The consumer address as the client sent it.
    public var owner: String
    public var documentId: String
    public var inputDIDs: [String]
    /// The algorithm's DID, or "raw".
    public var algoDID: String
    public var agreementId: String
    public var environment: String
    /// Unix seconds.
    public var dateCreated: Double
    public var dateFinished: Double?
    public var status: JobStatusCode
    /// Unix seconds of the transition into `status`.
    public var statusChangedAt: Double
    public var stopRequest: StopRequest
    public var terminationReason: TerminationReason?
    public var exitCode: Int?
    public var error: String?
    public var results: [JobResultFile]
    /// The files that entered the workspace, once provisioned (nil before, and for jobs
    /// stored by versions that did not record them).
    public var fileDigests: [FileDigest]?
    /// Needed to run the job; dropped once the job ends so its sources are not kept.
    public var specification: JobSpecification?
    /// Runs the node interrupted (a crash, a restart, a shutdown) and started again;
    /// nil for none (and for records stored before this field).
    public var interruptedRuns: Int?
    /// What the output checks of status 50 decided; nil before them (and for records
    /// stored before them).
    public var outputChecks: OutputChecks?
    /// Where a cluster scheduler holds the job (Slurm backend), once it was handed over.
    public var scheduler: SchedulerJob?
    /// The datasets' owners' review of the outputs, when the policy requires one.
    public var review: OwnerReview?
    /// How the run ended, while the outputs wait for that review.
    public var heldEnding: HeldEnding?
    /// What the run used (CPU time, peak memory); nil before it ended (and for records
    /// stored before this field).
    public var usage: ResourceUsage?

    public init(jobId: String, specification: JobSpecification, now: Double) {
        self.jobId = jobId
        self.owner = specification.owner
        self.documentId = specification.inputs.first?.did ?? ""
        self.inputDIDs = specification.inputs.map(\.did)
        self.algoDID = specification.algorithm.did ?? "raw"
        self.agreementId = specification.agreementId
        self.environment = specification.environment
        self.dateCreated = now
        self.dateFinished = nil
        self.status = .warmingUp
        self.statusChangedAt = now
        self.stopRequest = .none
        self.terminationReason = nil
        self.exitCode = nil
        self.error = nil
        self.results = []
        self.fileDigests = nil
        self.specification = specification
    }

    /// The owner as an address, for case-insensitive comparisons.
    public var ownerAddress: EthereumAddress? { EthereumAddress(owner) }

    /// Moves to `status` at `time`; terminal states also set `dateFinished` and drop the
    /// specification.
    public mutating func transition(to status: JobStatusCode, at time: Double) {
        self.status = status
        self.statusChangedAt = time
        if status.isTerminal {
            dateFinished = dateFinished ?? time
            specification = nil
        }
    }
}

/// One stored status change.
public struct JobTransition: Sendable, Equatable {
    public var status: JobStatusCode
    /// Unix seconds.
    public var at: Double

    public init(status: JobStatusCode, at: Double) {
        self.status = status
        self.at = at
    }
}
