import Foundation
import Logging
import SluiceCore

extension SlurmBackend {
    public var schedulesJobs: Bool { true }

    /// Submits the job, follows it until Slurm says it ended, and copies its output
    /// into algorithm.log. The node's wall-time deadline (to the second) and disk quota
    /// count from the moment Slurm runs it; at either, or when the calling task is
    /// cancelled, the node cancels the Slurm job (DELETE) and waits for its end. When the
    /// node stops (`DetachSignal`), the job goes on in Slurm and this returns `.detached`.
    public func run(_ request: SandboxRequest, configureLog: LogFile) async throws -> SandboxRun {
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
        let job = FollowedJob(jobId: request.jobId, workspace: request.workspace, limits: request.limits, client: client,
                              reports: request.schedulerReports, detach: request.detach)
        var detached = false
        defer { if !detached { job.cleanUp() } }
        try WorkspaceMounts.writeArguments(BubblewrapArguments.bwrap(sandboxed), for: request.workspace)
        try SlurmWorkspaceAccess.handOver(request.workspace, to: account)
        let body = SlurmBatchJob.body(for: sandboxed, runtime: runtime.directory, settings: client.settings)
        let outcome = DiskWatch.judged(try await follow(job, submitting: body, configureLog: configureLog),
                                       workspace: request.workspace, limit: request.limits.diskBytes)
        detached = outcome == .detached
        return SandboxRun(outcome, usage: job.usage())
    }

    /// Follows a batch job a previous run of the node submitted (its id is stored with
    /// the job), to its end, then cleans up as `run` does.
    public func resume(_ resumed: ResumedJob, configureLog: LogFile) async throws -> SandboxRun {
        guard let client = clients[resumed.environment], let id = Int(resumed.scheduler.id) else {
            throw SlurmRunError.unknownJob
        }
        let job = FollowedJob(jobId: resumed.jobId, workspace: resumed.workspace, limits: resumed.limits, client: client,
                              reports: resumed.reports, detach: resumed.detach, resumedFrom: resumed.scheduler)
        var detached = false
        defer { if !detached { job.cleanUp() } }
        configureLog.line("slurm: following job \(id) again (the node restarted)")
        let outcome = DiskWatch.judged(try await follow(job, submittedAs: id, configureLog: configureLog),
                                       workspace: resumed.workspace, limit: resumed.limits.diskBytes)
        detached = outcome == .detached
        return SandboxRun(outcome, usage: job.usage())
    }

    /// Submits `body` (unless the job is already Slurm's, as `id`) and follows it, in a
    /// task of its own: a stop must not cut the submit or the follow-up short; it cancels
    /// the Slurm job instead, and this waits for Slurm to say it ended.
    private func follow(_ job: FollowedJob, submitting body: SlurmSubmitBody? = nil, submittedAs id: Int? = nil,
                        configureLog: LogFile) async throws -> SandboxOutcome {
        let submitted = SubmittedJob()
        submitted.id = id
        let client = job.client
        let ending = JobKill {
            guard let id = submitted.id else { return }
            Task { try? await client.cancel(id) }
        }
        let follow = Task {
            if submitted.id == nil, let body {
                if let reason = ending.reason { return reason }
                try await submit(body, job: job, submitted: submitted, ending: ending, configureLog: configureLog)
            }
            guard let id = submitted.id else { return ending.reason ?? .stopped }
            return try await poll(id, job: job, ending: ending, configureLog: configureLog)
        }
        return try await withTaskCancellationHandler {
            try await follow.value
        } onCancel: {
            if job.detach.isSet { follow.cancel() } else { ending.kill(because: .stopped) }
        }
    }

    private func submit(_ body: SlurmSubmitBody, job: FollowedJob, submitted: SubmittedJob, ending: JobKill,
                        configureLog: LogFile) async throws {
        let id: Int
        do {
            id = try await job.client.submit(body)
        } catch let error as SlurmError {
            if case .refused(let reason) = error.kind { throw SandboxRefusal("the Slurm cluster refused the job: \(reason)") }
            logger.error("cannot submit a Slurm job", metadata: ["jobId": "\(job.jobId)", "error": "\(error.detail)"])
            throw error
        }
        submitted.id = id
        configureLog.line("slurm: submitted as job \(id) to partition \(job.client.settings.partition)")
        // Stored before anything else: from here on, a restarted node follows this job.
        await job.reports?.scheduled(SchedulerJob(scheduler: Self.backendName, id: String(id), state: "PENDING"), waiting: true)
        // A stop that came during the submit had no job to cancel yet.
        if ending.reason != nil { try? await job.client.cancel(id) }
    }

    /// Polls the job until it ended (see `pollDelay`), reporting its state, reason and
    /// queue position as they change. Cancels it again while a kill reason stands and it still runs (a
    /// DELETE may be lost); gives up after `unreachablePolls` failed polls.
    private func poll(_ id: Int, job: FollowedJob, ending: JobKill, configureLog: LogFile) async throws -> SandboxOutcome {
        let client = job.client
        var watchers: Task<Void, Never>?
        defer { watchers?.cancel() }
        var failures = 0
        var reported = job.resumedFrom
        var position: Int?
        var lastCancel = ContinuousClock.now
        let followed = ContinuousClock.now
        while true {
            if Task.isCancelled, job.detach.isSet { return .detached }
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
                    // One listing of the queue a second serves every job waiting on the cluster.
                    position = (try? await client.recentJobs(maxAge: .seconds(1))).flatMap {
                        SlurmQueue.position(of: id, partition: client.settings.partition, among: $0)
                    }
                    let now = SchedulerJob(scheduler: Self.backendName, id: String(id), state: info.job_state,
                                           reason: SlurmQueue.reason(reason), queuePosition: position)
                    if now != reported {
                        if now.reason != reported?.reason || reported?.state != now.state {
                            configureLog.line("slurm: job \(id) waits in Slurm's queue (\(now.reason ?? "no reason given"))")
                        }
                        reported = now
                        await job.reports?.scheduled(now, waiting: true)
                    }
                case .running:
                    if watchers == nil {
                        // Counted from the node's own sight of it running; after a restart,
                        // from when the node (or else Slurm, to the second) first saw it run.
                        let startedAt = job.resumedFrom?.startedAt
                            ?? (job.resumedFrom != nil ? info.start_time.map { Double($0) + 1 } : nil)
                        let alreadyRan = startedAt.map { max(Date().timeIntervalSince1970 - $0, 0) } ?? 0
                        configureLog.line("slurm: job \(id) runs")
                        watchers = ending.watchLimits(job.limits, workspace: job.workspace,
                                                      diskCheckInterval: diskCheckInterval, alreadyRan: alreadyRan)
                        let running = SchedulerJob(scheduler: Self.backendName, id: String(id), state: info.job_state,
                                                   startedAt: startedAt ?? Date().timeIntervalSince1970)
                        reported = running
                        await job.reports?.scheduled(running, waiting: false)
                    }
                }
                if ending.reason != nil, ContinuousClock.now - lastCancel > .seconds(2) {
                    lastCancel = .now
                    try? await client.cancel(id)
                }
            } catch let error as SlurmError {
                if Task.isCancelled, job.detach.isSet { return .detached }
                // Slurm answered but no longer knows the job: it ended while the node was
                // away longer than Slurm keeps finished jobs (`MinJobAge`).
                if case .refused = error.kind, job.resumedFrom != nil {
                    return .interrupted("the Slurm cluster no longer knows job \(id), which ended while the node was down")
                }
                failures += 1
                if failures >= unreachablePolls {
                    logger.error("lost a Slurm job's cluster", metadata: ["jobId": "\(job.jobId)", "slurmJob": "\(id)", "error": "\(error.detail)"])
                    try? await client.cancel(id)
                    throw error
                }
            }
            try? await Task.sleep(for: Self.pollDelay(after: ContinuousClock.now - followed,
                                                      within: minimumPollInterval...maximumPollInterval))
        }
    }

    /// A tenth of the time followed so far, within `bounds`.
    static func pollDelay(after followed: Duration, within bounds: ClosedRange<Duration>) -> Duration {
        min(max(followed / 10, bounds.lowerBound), bounds.upperBound)
    }

    private func logLimits(_ request: SandboxRequest, settings: SlurmSettings, configureLog: LogFile) {
        let limits = request.limits
        configureLog.line("limit cpu: \(SlurmBatchJob.cpus(limits.cpus)) cores (Slurm cpus_per_task)")
        configureLog.line("limit memory: \(limits.memoryBytes) bytes (\(SlurmBatchJob.memoryMiB(bytes: limits.memoryBytes)) MiB as Slurm memory_per_node, the cluster's cgroups)")
        configureLog.line("limit disk: \(limits.diskBytes) bytes for outputs and logs together (checked every \(diskCheckInterval), and no single file larger)")
        configureLog.line("limit wall time: \(limits.wallTimeSeconds) s from the moment Slurm runs the job (Slurm's own limit: \(SlurmBatchJob.timeLimitMinutes(seconds: limits.wallTimeSeconds)) min)")
        configureLog.line("limit processes: the cluster's (the node sets none on Slurm)")
        configureLog.line("limit algorithm.log: \(limits.algorithmLogBytes) bytes, then cut with a marker")
        configureLog.line("resources used: as the job's own cgroups on the compute node count them (Slurm's task/cgroup), where they exist")
        configureLog.line("sandbox: bubblewrap on Slurm partition \(settings.partition), no network, all namespaces unshared, no capabilities, uid \(request.user.uid.map(String.init) ?? "?") (the Slurm user's)")
    }
}

/// A Slurm job the backend follows: a new one (`run`) or one a previous run of the node
/// submitted (`resume`).
struct FollowedJob: Sendable {
    let jobId: String
    let workspace: Workspace
    let limits: JobLimits
    let client: SlurmClient
    let reports: (any SchedulerReports)?
    let detach: DetachSignal
    /// Where the job stood when the node last stored it, for a resumed job.
    var resumedFrom: SchedulerJob?

    /// Once the job ended: its output into algorithm.log, and the batch job's files gone.
    /// What the batch script found in the job's cgroups once the sandbox ended.
    func usage() -> ResourceUsage {
        SlurmBatchJob.usage(fromReport: SlurmOutput.readSmall(SlurmBatchJob.usagePath(in: workspace)) ?? "")
    }

    func cleanUp() {
        WorkspaceMounts.remove(for: workspace)
        SlurmOutput.copy(from: SlurmBatchJob.outputPath(in: workspace), to: workspace.algorithmLog,
                         cap: limits.algorithmLogBytes)
        SlurmWorkspaceAccess.removeOutput(of: workspace)
    }
}

/// Where a pending job stands in its partition's queue.
enum SlurmQueue {
    /// 1 for the job Slurm runs next: pending jobs of the partition by priority, then
    /// submit time, then id (Slurm's own order for a single partition). nil when the job
    /// is not pending there.
    static func position(of id: Int, partition: String, among jobs: [SlurmJobInfo]) -> Int? {
        let pending = jobs.filter { SlurmJobState($0.job_state) == .pending && $0.partition == partition && $0.job_id != nil }
            .sorted { a, b in
                if (a.priority ?? 0) != (b.priority ?? 0) { return (a.priority ?? 0) > (b.priority ?? 0) }
                if (a.submit_time ?? 0) != (b.submit_time ?? 0) { return (a.submit_time ?? 0) < (b.submit_time ?? 0) }
                return (a.job_id ?? 0) < (b.job_id ?? 0)
            }
        return pending.firstIndex { $0.job_id == id }.map { $0 + 1 }
    }

    /// Slurm's `state_reason`, with its "None" as none.
    static func reason(_ text: String?) -> String? {
        guard let text, !text.isEmpty, text != "None" else { return nil }
        return text
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
    case unknownJob

    var description: String {
        switch self {
        case .notAClusterRuntime: return "the Slurm backend was given an image of another backend"
        case .unknownJob: return "the node cannot follow the job's Slurm job again (its cluster or id is gone from the config)"
        }
    }
}
