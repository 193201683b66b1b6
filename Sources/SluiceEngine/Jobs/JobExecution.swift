import Foundation
import SluiceCore

/// One job's run, outside the engine actor: build the workspace, provision inputs and
/// algorithm, run the sandbox, publish results. Reports each step to the engine.
struct JobExecution: Sendable {
    let engine: ComputeEngine
    let jobId: String
    let specification: JobSpecification
    let environment: ComputeEnvironment
    let backend: any SandboxBackend
    let workspace: Workspace
    /// Its own uid on a root node; nil when every uid of the pool is running a job.
    let user: SandboxUser?
    let configuration: EngineConfiguration
    /// Raised at shutdown when the job's scheduler runs it on without the node.
    let detach: DetachSignal

    /// A step that failed for a reason the consumer must read.
    struct ProvisioningFailure: Error {
        let status: JobStatusCode
        let message: String
    }

    func run() async {
        var ending: JobEnding
        var filtering = false
        do {
            (ending, filtering) = try await execute()
        } catch let failure as ProvisioningFailure {
            ending = JobEnding(status: failure.status,
                               reason: failure.status == .dataProvisioningFailed ? .dataProvisioningFailed : .algorithmProvisioningFailed,
                               error: failure.message)
        } catch let refusal as SandboxRefusal {
            // The backend could not start the entrypoint the consumer chose.
            ending = JobEnding(status: .algorithmProvisioningFailed, reason: .algorithmProvisioningFailed, error: refusal.description)
        } catch {
            ending = await interruptedEnding(otherwise: JobEnding(
                status: .algorithmFailed, reason: nil,
                error: "the node failed while running the job (\(Self.describe(error))); start it again"))
        }
        await conclude(ending, filtering: filtering)
    }

    /// Follows a job a previous run of the node handed to its scheduler, from where it
    /// was stored, and ends it as `run` would.
    func resume(_ scheduled: SchedulerJob) async {
        var ending: JobEnding
        do {
            let configureLog = try LogFile(url: workspace.configureLog)
            let job = ResumedJob(jobId: jobId, workspace: workspace, limits: limits, environment: environment.id,
                                 scheduler: scheduled, reports: reports, detach: detach)
            ending = await self.ending(for: try await backend.resume(job, configureLog: configureLog))
        } catch {
            ending = await interruptedEnding(otherwise: JobEnding(
                status: .algorithmFailed, reason: nil,
                error: "the node failed while following the job (\(Self.describe(error))); start it again"))
        }
        await conclude(ending, filtering: (try? await entersFiltering(after: ending)) ?? false)
    }

    /// Status 50 follows every run that ended on its own or at a limit; a stopped job, or
    /// one left to its scheduler, has no outputs to check now.
    private func entersFiltering(after ending: JobEnding) async throws -> Bool {
        guard !ending.detached, ending.status != .jobStopped else { return false }
        try await engine.advance(jobId, to: .filteringResults)
        return true
    }

    /// Status 50 (when the algorithm ran to an end): no output is a result before the
    /// checks, and none leaves before the data owner's release where one is required. A
    /// job left to its scheduler is not concluded here.
    private func conclude(_ ending: JobEnding, filtering: Bool) async {
        // Let go of (another replica holds it) or left to its scheduler: nothing to publish here.
        let interruption = await engine.interruption(of: jobId)
        if ending.detached || interruption == .takenOver { return await engine.finish(jobId, ending, results: []) }
        let checked: CheckedResults
        if filtering {
            let checks = await engine.checkOutputs(workspace, specification: specification)
            // The data owner's release: the job stays at 50 until they decide.
            if await engine.holdForReview(jobId, ending: ending, checks: checks) { return }
            checked = await engine.publish(workspace, ending: ending, checks: checks.policy.reviewDeadlineSeconds == nil
                                           ? checks : checks.withholdingReleased(.ownerReview, reason: ComputeEngine.unreviewedReason))
            try? await engine.advance(jobId, to: .publishingResults)
        } else {
            checked = await engine.checkAndPublish(workspace, specification: specification, ending: ending)
        }
        await engine.finish(jobId, checked.ending, results: checked.results, checks: checked.checks,
                            outputDigests: checked.outputDigests)
    }

    private var limits: JobLimits {
        JobLimits(environment: environment, algorithmLogCap: configuration.algorithmLogCap)
    }

    private var reports: EngineSchedulerReports { EngineSchedulerReports(engine: engine, jobId: jobId) }

    /// The ending, and whether the job is at status 50 (Filtering results) for the checks.
    private func execute() async throws -> (JobEnding, Bool) {
        try await engine.advance(jobId, to: .jobStarted)
        try await engine.advance(jobId, to: .configuringVolumes)
        guard let user else {
            throw ProvisioningFailure(status: .dataProvisioningFailed,
                                      message: "the node is running as many jobs as it has sandbox users; try again later")
        }
        do {
            try workspace.create(sandboxUser: user)
        } catch {
            throw ProvisioningFailure(status: .dataProvisioningFailed, message: "the node could not create the job's workspace; try again later")
        }
        let configureLog = try LogFile(url: workspace.configureLog)
        configureLog.line("job \(jobId) in environment \(environment.id)")
        let provisioner = Provisioner(specification: specification, environment: environment, workspace: workspace,
                                      fetcher: SourceFetcher(configuration: configuration),
                                      stagingRoot: configuration.stagingRoot, backend: backend, log: configureLog)
        var (request, digests) = try await provisioner.provision(jobId: jobId, user: user, limits: limits)
        try await engine.record(digests, of: jobId)
        if let interrupted = await interruptedEndingIfAny() { return (interrupted, false) }
        try await engine.advance(jobId, to: .provisioningSuccess)
        // A scheduler's reports move the job to 1 (queued there) and 40 (running).
        if backend.schedulesJobs {
            request.schedulerReports = reports
            request.detach = detach
        } else {
            try await engine.advance(jobId, to: .runningAlgorithm)
        }
        configureLog.line("running: \(request.command.joined(separator: " "))")
        let ending = await ending(for: try await backend.run(request, configureLog: configureLog))
        return (ending, try await entersFiltering(after: ending))
    }

    /// The ending of `run`, once what it used is part of the job's record.
    private func ending(for run: SandboxRun) async -> JobEnding {
        if !run.usage.isUnmeasured { await engine.record(run.usage, of: jobId) }
        return await ending(for: run.outcome)
    }

    private func ending(for outcome: SandboxOutcome) async -> JobEnding {
        switch outcome {
        case .exited(0):
            return JobEnding(status: .jobFinished, reason: .completed, exitCode: 0)
        case .exited(let code):
            return JobEnding(status: .algorithmFailed, reason: .algorithmFailed, exitCode: Int(code),
                             error: "the algorithm exited with code \(code); see algorithm.log")
        case .signaled(let signal):
            return JobEnding(status: .algorithmFailed, reason: .algorithmFailed, exitCode: 128 + Int(signal),
                             error: "the algorithm was killed by signal \(signal); see algorithm.log")
        case .exceeded(.wallTime):
            return JobEnding(status: .algorithmFailed, reason: .timeout,
                             error: "the algorithm ran longer than the \(environment.maxJobDuration) s allowed by environment \(environment.id) and was stopped",
                             stopRequest: .timedOut)
        case .exceeded(.memory):
            return JobEnding(status: .algorithmFailed, reason: .outOfMemory,
                             error: "the algorithm needed more than the \(environment.ramGB) GB of memory of environment \(environment.id) and was killed")
        case .exceeded(.disk):
            return JobEnding(status: .algorithmFailed, reason: .diskQuotaExceeded,
                             error: "the algorithm wrote more than the \(environment.diskGB) GB of disk of environment \(environment.id) to its outputs and logs and was killed")
        case .stopped:
            return await interruptedEnding(otherwise: JobEnding(status: .jobStopped, reason: .stopped, stopRequest: .requested))
        case .detached:
            return JobEnding(status: .algorithmFailed, reason: .nodeShutdown, detached: true)
        case .interrupted(let what):
            return await interruptedEnding(otherwise: JobEnding(
                status: .algorithmFailed, reason: .nodeRestarted,
                error: "\(what); its logs and partial outputs are kept; its orders were released, so the same orders start it again",
                interrupted: true))
        }
    }

    private func interruptedEndingIfAny() async -> JobEnding? {
        guard Task.isCancelled else { return nil }
        return await interruptedEnding(otherwise: JobEnding(status: .jobStopped, reason: .stopped, stopRequest: .requested))
    }

    /// The ending of a job whose task was cancelled: stopped by its owner, or caught
    /// by the node shutting down.
    private func interruptedEnding(otherwise: JobEnding) async -> JobEnding {
        switch await engine.interruption(of: jobId) {
        case .stop:
            return JobEnding(status: .jobStopped, reason: .stopped, stopRequest: .requested)
        case .shutdown:
            return JobEnding(status: .algorithmFailed, reason: .nodeShutdown,
                             error: "the node shut down while the job was running; its logs and partial outputs are kept; start it again")
        case .takenOver:
            // Another replica's run stands; this one ends without a word stored.
            return JobEnding(status: .algorithmFailed, reason: .nodeRestarted, detached: true)
        case nil:
            return otherwise
        }
    }

    static func describe(_ error: any Error) -> String {
        // Only the node's own error types, whose messages never carry sources.
        switch error {
        case let e as FetchError: return e.description
        case let e as SandboxError: return e.description
        case let e as DockerAPIError: return e.description
        case let e as SlurmError: return e.description
        case let e as SlurmWorkspaceError: return e.description
        case let e as SlurmRunError: return e.description
        case let e as SandboxResumeError: return e.description
        case let e as WorkspaceError: return e.description
        default: return "internal error"
        }
    }
}

/// The engine's ear for one job's scheduler reports.
struct EngineSchedulerReports: SchedulerReports {
    let engine: ComputeEngine
    let jobId: String

    func scheduled(_ job: SchedulerJob, waiting: Bool) async {
        await engine.scheduled(jobId, job, waiting: waiting)
    }
}
