import Foundation
import Logging
import SluiceCore

extension ComputeEngine {
    /// Resumes after a restart, then starts the expiry sweep. Call once, before use.
    ///
    /// Recovery policy: queued jobs (status 1) keep their place and run; jobs awaiting
    /// their data owner's review keep waiting. A job that was
    /// past status 1 when the node died was interrupted through no fault of its consumer:
    /// it runs again from a fresh workspace (`interruptedJobRetries` times), else it ends
    /// as 41 (`nodeRestarted`) with its orders released. Sandboxes of the old process die
    /// with it (--die-with-parent) and leftover cgroups are emptied here. A job a cluster
    /// scheduler holds (its id stored) is not interrupted at all: the node follows it again.
    public func start() async throws {
        let used = Set(environments.values.map(\.backend.name))
        for (name, backend) in backends where used.contains(name) { try await backend.verify() }
        var unfinished = try await store.unfinishedJobs()
        let resumed = unfinished.filter(isResumable)
        unfinished.removeAll(where: isResumable)
        let interrupted = unfinished.filter { $0.status != .warmingUp && !$0.awaitsReview }.map(\.jobId)
        for backend in backends.values { await backend.removeLeftovers(of: interrupted) }
        try FileManager.default.createDirectory(at: configuration.workspaceRoot, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o711])
        chmod(configuration.workspaceRoot.path, 0o711)
        if SandboxUserPool.separatesJobs, let taken = SandboxUserPool.accountInside(configuration.sandboxUIDs) {
            throw EngineError.sandboxUIDsTaken(taken)
        }
        guard SandboxUserPool.anyJob.canReach(configuration.workspaceRoot.path) else {
            throw EngineError.workspaceUnreachable(configuration.workspaceRoot.path)
        }
        for var record in unfinished {
            let id = record.jobId
            if record.awaitsReview, let review = record.review {
                // Its algorithm ended; only its owner's decision (or the deadline) ends it.
                awaitingReview[id] = review.deadline
                continue
            }
            if record.status == .warmingUp, record.specification != nil, environments[record.environment] != nil {
                live[id] = LiveJob(record: record)
                queues[record.environment]?.enqueue(id)
                continue
            }
            if record.status == .warmingUp {
                let ending = JobEnding(status: .algorithmProvisioningFailed, reason: .algorithmProvisioningFailed,
                                       error: "environment \(record.environment) is no longer offered by this node")
                let checked = await checkAndPublish(workspace(of: id), specification: record.specification, ending: ending)
                record.results = checked.results
                record.outputChecks = checked.checks
                record.error = checked.ending.error
                record.terminationReason = checked.ending.reason
                record.specification.map(discardStaged(of:))
                record.transition(to: ending.status, at: Self.now())
                try await store.update(record)
                continue
            }
            // Running when the node died: not the consumer's fault.
            if try await runAgain(&record) {
                live[id] = LiveJob(record: record)
                queues[record.environment]?.enqueue(id)
                logger.notice("job interrupted by a restart runs again", metadata: ["jobId": "\(id)"])
            } else {
                try await endInterrupted(&record, ending: JobEnding(
                    status: .algorithmFailed, reason: .nodeRestarted,
                    error: "the node restarted while this job was running; its logs and partial outputs are kept; its orders were released, so the same orders start it again"))
                logger.notice("job ended by restart", metadata: ["jobId": "\(id)"])
            }
        }
        for record in resumed { follow(record) }
        sweepStaging(keeping: unfinished)
        for id in environments.keys { pump(id) }
        startSweeper()
    }

    /// A job its environment's scheduler held when the node stopped.
    private func isResumable(_ record: JobRecord) -> Bool {
        record.scheduler != nil && record.specification != nil && !record.awaitsReview && schedulesJobs(record.environment)
    }

    /// Follows a job its scheduler holds, in one of the environment's slots.
    private func follow(_ record: JobRecord) {
        guard let scheduled = record.scheduler, let specification = record.specification,
              let environment = environments[record.environment], let backend = backends[environment.backend.name] else { return }
        let id = record.jobId
        var job = LiveJob(record: record)
        job.sandboxUser = sandboxUsers.lease()
        queues[environment.id]?.adopt(id)
        let execution = JobExecution(
            engine: self, jobId: id, specification: specification, environment: environment,
            backend: backend, workspace: workspace(of: id), user: job.sandboxUser, configuration: configuration,
            detach: job.detach)
        job.task = Task.detached { await execution.resume(scheduled) }
        live[id] = job
        logger.notice("following a job its scheduler holds", metadata: ["jobId": "\(id)", "schedulerJob": "\(scheduled.id)"])
    }

    /// Removes staged files no waiting job refers to: left by starts that crashed
    /// between staging and storing their job.
    func sweepStaging(keeping records: [JobRecord]) {
        var kept = Set<String>()
        for record in records {
            if case .staged(let file)? = record.specification?.algorithm.code {
                kept.insert(URL(fileURLWithPath: file.path).deletingLastPathComponent().lastPathComponent)
            }
        }
        let root = configuration.stagingRoot
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for entry in entries where !kept.contains(entry) {
            try? FileManager.default.removeItem(at: root.appendingPathComponent(entry))
        }
    }

    /// Kills running jobs (they end as 41, saying the node shut down) and stops the
    /// sweep. Queued jobs stay stored and run after the next start.
    public func shutdown() async {
        isShuttingDown = true
        sweeper?.cancel()
        sweeper = nil
        var running: [Task<Void, Never>] = []
        for (id, job) in live {
            guard let task = job.task else { continue }
            if job.interruption == nil { live[id]?.interruption = .shutdown }
            // Its scheduler runs it without the node: let go of it, for the next start.
            if job.interruption == nil, schedulesJobs(job.record.environment) { job.detach.raise() }
            task.cancel()
            running.append(task)
        }
        for task in running { await task.value }
        // Jobs still queued stay stored for the next start; release anyone waiting on them.
        for waiters in finishWaiters.values { waiters.forEach { $0.resume() } }
        finishWaiters = [:]
    }
}

extension JobRecord {
    /// At status 50 with the owner's review pending.
    var awaitsReview: Bool { status == .filteringResults && review?.state == .pending }
}
