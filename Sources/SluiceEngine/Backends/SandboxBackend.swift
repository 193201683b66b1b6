import Foundation
public import SluiceCore

/// Runs one algorithm in isolation: bubblewrap on this host, containers through a
/// Docker Engine API (`DockerAPIBackend`), or bubblewrap on a Slurm cluster's compute
/// nodes (`SlurmBackend`).
public protocol SandboxBackend: Sendable {
    /// The name environments select it by (`backend` in the config).
    var name: String { get }

    /// Checks that this backend may run `container` in `environment` and says what the
    /// job runs from. Throws `SandboxRefusal` (the job ends as 32 with its sentence) for
    /// an image or entrypoint the consumer must change.
    func prepareImage(_ container: ContainerSection, command: [String], environment: ComputeEnvironment,
                      log: LogFile) async throws -> SandboxImage

    /// Runs `request` to its end and says how it ended and what it used. Cancelling the
    /// calling task kills the job's whole process tree and returns `.stopped` once it is
    /// gone. `configureLog` receives one line per limit in force.
    func run(_ request: SandboxRequest, configureLog: LogFile) async throws -> SandboxRun

    /// Throws, with a sentence for the operator, when this host cannot run the backend.
    func verify() async throws

    /// Kills whatever a previous run of the node left behind for these jobs (after a
    /// crash). Only these: other nodes on the same host keep their jobs.
    func removeLeftovers(of jobIds: [String]) async

    /// Called at start: removes what this node's earlier runs left on a shared engine,
    /// sparing the jobs that other live replicas hold (see `SandboxBackendDefaults`).
    func removeOrphans(sparing held: Set<String>) async

    /// Whether jobs wait in a cluster scheduler's queue rather than the node's, report
    /// where they stand (`SandboxRequest.schedulerReports`), and go on while the node
    /// restarts: a restarted node follows them again with `resume`.
    var schedulesJobs: Bool { get }

    /// Throws, before a job is admitted (and its orders used), when the backend cannot take
    /// jobs for `environment` now: a cluster that does not answer (503).
    func requireAvailable(_ environment: ComputeEnvironment) async throws(RequestError)

    /// Follows a job that a previous run of the node (or another replica) handed to the
    /// scheduler, to its end, as `run` would have. Cancelling the calling task stops it,
    /// as in `run`.
    func resume(_ job: ResumedJob, configureLog: LogFile) async throws -> SandboxRun
}

extension SandboxBackend {
    public var schedulesJobs: Bool { false }

    public func requireAvailable(_ environment: ComputeEnvironment) async throws(RequestError) {}

    public func resume(_ job: ResumedJob, configureLog: LogFile) async throws -> SandboxRun {
        throw SandboxResumeError.notAScheduler
    }
}

/// A job the scheduler holds since an earlier run of the node, to be followed again.
public struct ResumedJob: Sendable {
    public var jobId: String
    public var workspace: Workspace
    public var limits: JobLimits
    /// The environment whose cluster holds it.
    public var environment: String
    public var scheduler: SchedulerJob
    public var reports: any SchedulerReports
    public var detach: DetachSignal
}

/// What a backend that hands jobs to a cluster scheduler tells the engine as the
/// scheduler takes, queues and runs them; the engine stores it with the job.
public protocol SchedulerReports: Sendable {
    /// `waiting` while the job is in the scheduler's queue (status 1), false once it
    /// runs (status 40).
    func scheduled(_ job: SchedulerJob, waiting: Bool) async
}

/// Set by the engine before it cancels a job's task when the node stops but the job is
/// to go on in its scheduler: the backend then lets go of it (`SandboxOutcome.detached`)
/// instead of cancelling it.
public final class DetachSignal: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var set = false

    public init() {}

    public var isSet: Bool { lock.withLock { set } }

    func raise() { lock.withLock { set = true } }
}

enum SandboxResumeError: Error, CustomStringConvertible {
    case notAScheduler

    var description: String { "this backend cannot follow a job a previous run of the node started" }
}

/// What the sandbox runs and under which limits.
public struct SandboxRequest: Sendable {
    public var jobId: String
    public var workspace: Workspace
    /// The entrypoint split into words, `$ALGO` already substituted.
    public var command: [String]
    /// The variables of contract section 5; nothing else reaches the algorithm.
    public var environment: [String: String]
    /// The job's container section (image, tag, checksum), as the consumer gave it.
    public var container: ContainerSection
    /// What `prepareImage` chose to run it from.
    public var image: SandboxImage
    public var limits: JobLimits
    /// Who the algorithm runs as: this job's own uid on a root node.
    public var user: SandboxUser
    /// Where the engine hears of the job's place in a scheduler (backends with `schedulesJobs`).
    public var schedulerReports: (any SchedulerReports)?
    /// Raised when the node stops and the job is to go on in its scheduler.
    public var detach = DetachSignal()

    public init(jobId: String, workspace: Workspace, command: [String], environment: [String: String],
                container: ContainerSection, image: SandboxImage, limits: JobLimits, user: SandboxUser) {
        self.jobId = jobId
        self.workspace = workspace
        self.command = command
        self.environment = environment
        self.container = container
        self.image = image
        self.limits = limits
        self.user = user
    }
}

/// What a job runs from.
public enum SandboxImage: Sendable {
    /// A host directory mounted read-only at `/opt/runtime` (bubblewrap).
    case runtimeDirectory(String)
    /// A container image on one engine endpoint, pinned by its id.
    case container(PreparedContainerImage)
    /// A runtime directory on a cluster's compute nodes, for one environment's cluster.
    case clusterRuntime(ClusterRuntime)
}

/// What the Slurm backend runs a job from: the runtime directory (same path on every
/// compute node) and the environment whose cluster runs it.
public struct ClusterRuntime: Sendable, Equatable {
    public let directory: String
    public let environment: String
}

/// A job's image or entrypoint the backend will not run; the sentence is for the
/// consumer and never names host paths or sources.
public struct SandboxRefusal: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}

/// A sandboxed run's end: how it ended, and what it used as far as the backend measures.
public struct SandboxRun: Sendable, Equatable {
    public var outcome: SandboxOutcome
    public var usage: ResourceUsage

    public init(_ outcome: SandboxOutcome, usage: ResourceUsage = .unmeasured) {
        self.outcome = outcome
        self.usage = usage
    }
}

/// How a sandboxed run ended.
public enum SandboxOutcome: Sendable, Equatable {
    case exited(code: Int32)
    /// Killed by a signal the node did not send (e.g. SIGSEGV).
    case signaled(Int32)
    case exceeded(LimitKind)
    /// Killed on request (the calling task was cancelled).
    case stopped
    /// Lost through no fault of the job or its consumer (a cluster's compute node failed,
    /// the scheduler preempted it): the engine's interrupted-job policy applies. The
    /// sentence says what happened, for the consumer.
    case interrupted(String)
    /// Let go of on `DetachSignal`: the job goes on in its scheduler, and the next start
    /// of the node follows it again.
    case detached
}

public enum LimitKind: Sendable, Equatable {
    case wallTime
    case memory
    case disk
}

/// Backends whose leftovers are found by job (bubblewrap's cgroups, Slurm's job names)
/// have no orphans to look for at start.
extension SandboxBackend {
    public func removeOrphans(sparing held: Set<String>) async {}
}
