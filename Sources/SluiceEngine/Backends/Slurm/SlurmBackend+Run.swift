import Foundation
import Logging
import SluiceCore

extension SlurmBackend {
    /// Submits the job, follows it until Slurm says it ended, and copies its output
    /// into algorithm.log. The node's wall-time deadline (to the second) and disk quota
    /// count from the moment Slurm runs it; at either, or when the calling task is
    /// cancelled, the node cancels the Slurm job (DELETE) and waits for its end.
    public func run(_ request: SandboxRequest, configureLog: LogFile) async throws -> SandboxOutcome {
        guard case .clusterRuntime(let runtime) = request.image, let client = clients[runtime.environment] else {
            throw SlurmRunError.notAClusterRuntime
        }
        guard let account = SlurmWorkspaceAccess.account(named: client.settings.user) else {
            throw SlurmWorkspaceError.cannotHandOver
        }
        // Inside the sandbox the algorithm is the Slurm user's uid, which bwrap maps it to.
        var sandboxed = request
        sandboxed.user = account
        logLimits(sandboxed, settings: client.settings, configureLog: configureLog)
        try WorkspaceMounts.writeArguments(BubblewrapArguments.bwrap(sandboxed), for: request.workspace)
        defer {
            WorkspaceMounts.remove(for: request.workspace)
            SlurmOutput.copy(from: SlurmBatchJob.outputPath(in: request.workspace), to: request.workspace.algorithmLog,
                             cap: request.limits.algorithmLogBytes)
            SlurmWorkspaceAccess.removeOutput(of: request.workspace)
        }
        try SlurmWorkspaceAccess.handOver(request.workspace, to: account)
        let body = SlurmBatchJob.body(for: sandboxed, runtime: runtime.directory, settings: client.settings)
        let submitted = SubmittedJob()
        let ending = JobKill {
            guard let id = submitted.id else { return }
            Task { try? await client.cancel(id) }
        }
        // In a task of its own: a stop must not cut the submit or the follow-up short;
        // it cancels the Slurm job instead, and this waits for Slurm to say it ended.
        let follow = Task {
            try await submitAndFollow(body, client: client, request: sandboxed, submitted: submitted,
                                      ending: ending, configureLog: configureLog)
        }
        return try await withTaskCancellationHandler {
            try await follow.value
        } onCancel: {
            ending.kill(because: .stopped)
        }
    }

    private func submitAndFollow(_ body: SlurmSubmitBody, client: SlurmClient, request: SandboxRequest,
                                 submitted: SubmittedJob, ending: JobKill, configureLog: LogFile) async throws -> SandboxOutcome {
        if let reason = ending.reason { return reason }
        let id: Int
        do {
            id = try await client.submit(body)
        } catch let error as SlurmError {
            if case .refused(let reason) = error.kind { throw SandboxRefusal("the Slurm cluster refused the job: \(reason)") }
            logger.error("cannot submit a Slurm job", metadata: ["jobId": "\(request.jobId)", "error": "\(error.detail)"])
            throw error
        }
        submitted.id = id
        configureLog.line("slurm: submitted as job \(id) to partition \(client.settings.partition)")
        // A stop that came during the submit had no job to cancel yet.
        if ending.reason != nil { try? await client.cancel(id) }
        return try await follow(id, client: client, request: request, ending: ending, configureLog: configureLog)
    }

    /// Polls the job until it ended. Cancels it again while a kill reason stands and it
    /// still runs (a DELETE may be lost); gives up after `unreachablePolls` failed polls.
    private func follow(_ id: Int, client: SlurmClient, request: SandboxRequest, ending: JobKill,
                        configureLog: LogFile) async throws -> SandboxOutcome {
        var watchers: Task<Void, Never>?
        defer { watchers?.cancel() }
        var failures = 0
        var lastWait: String??
        var lastCancel = ContinuousClock.now
        while true {
            do {
                let info = try await client.job(id)
                failures = 0
                let phase = SlurmStateMapping.phase(of: SlurmJobState(info.job_state), exitStatus: info.exit_code ?? 0,
                                                    reason: info.state_reason, killedBecause: ending.reason)
                switch phase {
                case .ended(let outcome):
                    configureLog.line("slurm: job \(id) ended \(info.job_state)")
                    return outcome
                case .waiting(let reason):
                    if lastWait != .some(reason) {
                        configureLog.line("slurm: job \(id) waits in Slurm's queue (\(reason ?? "no reason given"))")
                        lastWait = .some(reason)
                    }
                case .running:
                    if watchers == nil {
                        configureLog.line("slurm: job \(id) runs")
                        watchers = ending.watchLimits(request.limits, workspace: request.workspace, diskCheckInterval: diskCheckInterval)
                    }
                }
                if ending.reason != nil, ContinuousClock.now - lastCancel > .seconds(2) {
                    lastCancel = .now
                    try? await client.cancel(id)
                }
            } catch let error as SlurmError {
                failures += 1
                if failures >= unreachablePolls {
                    logger.error("lost a Slurm job's cluster", metadata: ["jobId": "\(request.jobId)", "slurmJob": "\(id)", "error": "\(error.detail)"])
                    try? await client.cancel(id)
                    throw error
                }
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    private func logLimits(_ request: SandboxRequest, settings: SlurmSettings, configureLog: LogFile) {
        let limits = request.limits
        configureLog.line("limit cpu: \(SlurmBatchJob.cpus(limits.cpus)) cores (Slurm cpus_per_task)")
        configureLog.line("limit memory: \(SlurmBatchJob.memoryMiB(bytes: limits.memoryBytes)) MiB (Slurm memory_per_node, the cluster's cgroups)")
        configureLog.line("limit disk: \(limits.diskBytes) bytes for outputs and logs together (checked every \(diskCheckInterval), and no single file larger)")
        configureLog.line("limit wall time: \(limits.wallTimeSeconds) s from the moment Slurm runs the job (Slurm's own limit: \(SlurmBatchJob.timeLimitMinutes(seconds: limits.wallTimeSeconds)) min)")
        configureLog.line("limit processes: the cluster's (the node sets none on Slurm)")
        configureLog.line("limit algorithm.log: \(limits.algorithmLogBytes) bytes, then cut with a marker")
        configureLog.line("sandbox: bubblewrap on Slurm partition \(settings.partition), no network, all namespaces unshared, no capabilities, uid \(request.user.uid.map(String.init) ?? "?") (the Slurm user's)")
    }
}

/// The Slurm job id once the submit answered; read by the kill action.
final class SubmittedJob: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var value: Int?

    var id: Int? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

enum SlurmRunError: Error, CustomStringConvertible {
    case notAClusterRuntime

    var description: String { "the Slurm backend was given an image of another backend" }
}
