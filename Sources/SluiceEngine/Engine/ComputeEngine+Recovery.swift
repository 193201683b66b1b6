import Foundation
import SluiceCore

extension ComputeEngine {
    /// Resumes after a restart, then starts the expiry sweep. Call once, before use.
    ///
    /// Recovery policy: queued jobs (status 1) keep their place and run. Jobs that were
    /// past status 1 when the node died are not re-run, because an algorithm may have
    /// had effects (partial outputs, time spent) that a second run would not undo; they
    /// end as 41 with an error saying the node restarted, and keep whatever logs and
    /// outputs they had written. Sandboxes of the old process die with it
    /// (--die-with-parent) and leftover cgroups are emptied here.
    public func start() async throws {
        let used = Set(environments.values.map(\.backend))
        for (name, backend) in backends where used.contains(name) { try await backend.verify() }
        let unfinished = try await store.unfinishedJobs()
        let interrupted = unfinished.filter { $0.status != .warmingUp }.map(\.jobId)
        for backend in backends.values { await backend.removeLeftovers(of: interrupted) }
        try FileManager.default.createDirectory(at: configuration.workspaceRoot, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o711])
        chmod(configuration.workspaceRoot.path, 0o711)
        guard SandboxUser.current.canReach(configuration.workspaceRoot.path) else {
            throw EngineError.workspaceUnreachable(configuration.workspaceRoot.path)
        }
        for var record in unfinished {
            let id = record.jobId
            if record.status == .warmingUp, record.specification != nil, environments[record.environment] != nil {
                live[id] = LiveJob(record: record)
                queues[record.environment]?.enqueue(id)
                continue
            }
            let ending = record.status == .warmingUp
                ? JobEnding(status: .algorithmProvisioningFailed, reason: .algorithmProvisioningFailed,
                            error: "environment \(record.environment) is no longer offered by this node")
                : JobEnding(status: .algorithmFailed, reason: .nodeRestarted,
                            error: "the node restarted while this job was running; its logs and partial outputs are kept; start it again")
            record.results = Publisher.publish(workspace(of: id), ending: ending)
            record.error = ending.error
            record.terminationReason = ending.reason
            record.transition(to: ending.status, at: Self.now())
            try await store.update(record)
            logger.notice("job ended by restart", metadata: ["jobId": "\(id)"])
        }
        for id in environments.keys { pump(id) }
        startSweeper()
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
            task.cancel()
            running.append(task)
        }
        for task in running { await task.value }
        // Jobs still queued stay stored for the next start; release anyone waiting on them.
        for waiters in finishWaiters.values { waiters.forEach { $0.resume() } }
        finishWaiters = [:]
    }
}
