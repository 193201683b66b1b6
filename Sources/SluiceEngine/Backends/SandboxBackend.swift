import SluiceCore

/// Runs one algorithm in isolation. Bubblewrap is built in; a Docker-API backend and
/// Kubernetes follow the same protocol.
public protocol SandboxBackend: Sendable {
    /// The name environments select it by (`backend` in the config).
    var name: String { get }

    /// Runs `request` to its end and says how it ended. Cancelling the calling task kills
    /// the job's whole process tree and returns `.stopped` once it is gone.
    /// `configureLog` receives one line per limit in force.
    func run(_ request: SandboxRequest, configureLog: LogFile) async throws -> SandboxOutcome

    /// Throws, with a sentence for the operator, when this host cannot run the backend.
    func verify() async throws

    /// Kills whatever a previous run of the node left behind for these jobs (after a
    /// crash). Only these: other nodes on the same host keep their jobs.
    func removeLeftovers(of jobIds: [String]) async
}

/// What the sandbox runs and under which limits.
public struct SandboxRequest: Sendable {
    public var jobId: String
    public var workspace: Workspace
    /// The entrypoint split into words, `$ALGO` already substituted.
    public var command: [String]
    /// The variables of contract section 5; nothing else reaches the algorithm.
    public var environment: [String: String]
    /// Mounted read-only at `/opt/runtime`.
    public var runtimeDirectory: String
    public var limits: JobLimits

    public init(jobId: String, workspace: Workspace, command: [String], environment: [String: String],
                runtimeDirectory: String, limits: JobLimits) {
        self.jobId = jobId
        self.workspace = workspace
        self.command = command
        self.environment = environment
        self.runtimeDirectory = runtimeDirectory
        self.limits = limits
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
}

public enum LimitKind: Sendable, Equatable {
    case wallTime
    case memory
    case disk
}
