import Foundation
public import Logging
public import SluiceCore

/// The compute engine: claims jobs from the queue in the store (shared by every replica
/// on one database, see `JobQueueStore`), runs them in a sandbox backend, stores every
/// status transition, and keeps results until they expire.
///
/// Call `start()` once before use: it takes over what a previous run of the node left
/// (see `ComputeEngine+Recovery.swift`) and starts the heartbeat and the expiry sweep.
public actor ComputeEngine {
    let configuration: EngineConfiguration
    let environments: [String: ComputeEnvironment]
    let store: any JobStore
    let backends: [String: any SandboxBackend]
    let logger: Logger

    /// The jobs this replica holds, until they end: the source of truth for their status.
    var live: [String: LiveJob] = [:]
    /// Environments whose queue is being claimed from now, and those to claim from again
    /// once that ends (a slot freed meanwhile).
    var claiming: Set<String> = []
    var claimAgain: Set<String> = []
    /// Renews holds, delivers stops asked of other replicas, claims and takes over jobs.
    var heartbeat: Task<Void, Never>?
    /// When the holds were last renewed; past `holdSeconds` without, other replicas may
    /// have taken this one's jobs, so it lets them go.
    var lastRenewal = ContinuousClock.now
    var finishWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    var sweeper: Task<Void, Never>?
    var isShuttingDown = false
    /// The uids of running jobs.
    var sandboxUsers: SandboxUserPool
    /// Per environment, submissions between their queue check and their store insert.
    var pendingSubmissions: [String: Int] = [:]
    /// Jobs at status 50 waiting for their data owner's review, to the review's deadline
    /// (Unix seconds); their stored record is the truth about them.
    /// Jobs whose review this replica is deciding or concluding now.
    var deciding: Set<String> = []

    struct LiveJob {
        var record: JobRecord
        var task: Task<Void, Never>?
        /// Who its algorithm runs as, while it runs.
        var sandboxUser: SandboxUser?
        /// Why the job's task was cancelled, if it was.
        var interruption: Interruption?
        /// Raised at shutdown for a job its scheduler keeps running (see `shutdown`).
        var detach = DetachSignal()
        /// When it left the queue to run (Unix seconds), for its duration.
        var startedAt: Double?
    }

    enum Interruption {
        case stop
        case shutdown
        /// Another replica holds the job now: this one lets it go and stores nothing more.
        case takenOver
    }

    public init(configuration: EngineConfiguration, environments: [ComputeEnvironment], store: any JobStore,
                backends: [any SandboxBackend]? = nil, logger: Logger = Logger(label: "sluice.engine")) {
        self.configuration = configuration
        self.environments = Dictionary(environments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.store = store
        let available = backends ?? Self.defaultBackends(for: environments, configuration: configuration, logger: logger)
        self.backends = Dictionary(available.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
        self.sandboxUsers = SandboxUserPool(range: configuration.sandboxUIDs)
    }

    /// How many of the environment's jobs may be held at once, across replicas:
    /// `maxJobs`, or every admitted job where a cluster scheduler queues them.
    func slots(_ environment: ComputeEnvironment) -> Int {
        schedulesJobs(environment.id) ? environment.maxJobs + environment.maxQueuedJobs : environment.maxJobs
    }

    // MARK: Queries

    /// The job's current status, nil when unknown (or deleted, or expired).
    public func job(id: String) async throws -> JobStatus? {
        try await record(id: id).map(JobStatus.init)
    }

    /// The jobs of `owner`, of `documentId` when given, newest first.
    public func jobs(owner: EthereumAddress, documentId: String? = nil) async throws -> [JobStatus] {
        statuses(of: try await store.jobs(owner: owner, documentId: documentId))
    }

    /// The current status of stored jobs: a live job's record is newer than its row.
    public func statuses(of stored: [JobRecord]) -> [JobStatus] {
        stored.map { JobStatus(live[$0.jobId]?.record ?? $0) }
    }

    /// Jobs of the environment running now on any replica (past its scheduler's queue,
    /// where it has one).
    public func currentJobs(environment id: String) async -> Int {
        let active = await activeJobs(environment: id)
        return schedulesJobs(id) ? active.running : active.running + active.heldWaiting
    }

    /// Jobs of the environment waiting for a slot (in its scheduler's queue, where it has one).
    public func queuedJobs(environment id: String) async -> Int {
        let active = await activeJobs(environment: id)
        return schedulesJobs(id) ? active.waiting + active.heldWaiting : active.waiting
    }

    private func activeJobs(environment id: String) async -> ActiveJobs {
        do {
            return try await store.activeJobs(environment: id)
        } catch {
            logger.error("cannot count an environment's jobs", metadata: ["environment": "\(id)", "error": "\(error)"])
            return ActiveJobs()
        }
    }

    /// Whether the environment's backend hands its jobs to a cluster scheduler.
    func schedulesJobs(_ environment: String) -> Bool {
        environments[environment].flatMap { backends[$0.backend.name] }?.schedulesJobs == true
    }

    /// Every stored transition of the job, oldest first.
    public func transitions(of id: String) async throws -> [JobTransition] {
        try await store.transitions(of: id)
    }

    /// Waits until the job is terminal, or awaits its data owner's review, and returns its
    /// status; nil for an unknown job. A job this replica does not hold (queued, or held by
    /// another) is followed in the store.
    public func waitUntilFinished(id: String) async throws -> JobStatus? {
        while true {
            if live[id] != nil {
                await withCheckedContinuation { finishWaiters[id, default: []].append($0) }
                continue
            }
            guard let record = try await record(id: id) else { return nil }
            // Claimed here while the store was read: wait for it as for any held job.
            if live[id] != nil { continue }
            if record.status.isTerminal || record.awaitsReview || isShuttingDown { return JobStatus(record) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A hold for this replica, from now.
    func hold() -> JobHold {
        JobHold(replica: configuration.replica, until: Self.now() + configuration.holdSeconds)
    }

    func record(id: String) async throws -> JobRecord? {
        if let job = live[id] { return job.record }
        guard JobID.isWellFormed(id) else { return nil }
        return try await store.job(id: id)
    }

    func workspace(of id: String) -> Workspace {
        Workspace(root: configuration.workspaceRoot.appendingPathComponent(id))
    }

    /// The backends environments select by `backend`: bubblewrap, the Docker API with
    /// the endpoints and images each docker environment declares, and Slurm with each
    /// slurm environment's cluster.
    static func defaultBackends(for environments: [ComputeEnvironment], configuration: EngineConfiguration,
                                logger: Logger) -> [any SandboxBackend] {
        [BubblewrapBackend(logger: logger),
         DockerAPIBackend(environments: environments, nodeMarker: nodeMarker(configuration), logger: logger),
         SlurmBackend(environments: environments, logger: logger)]
    }

    /// Tells this node's containers from other nodes' on a shared engine.
    static func nodeMarker(_ configuration: EngineConfiguration) -> String {
        "\(ProcessInfo.processInfo.hostName):\(configuration.workspaceRoot.standardizedFileURL.path)"
    }

    static func now() -> Double { Date().timeIntervalSince1970 }
}
