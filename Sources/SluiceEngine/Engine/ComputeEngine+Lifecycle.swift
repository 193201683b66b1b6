import Foundation
import Logging
import SluiceCore

/// How a job ended, as the runner reports it.
struct JobEnding: Sendable {
    var status: JobStatusCode
    var reason: TerminationReason?
    var exitCode: Int?
    var error: String?
    var stopRequest: StopRequest?
    /// The backend lost the job (see `SandboxOutcome.interrupted`): it may run again.
    var interrupted = false
    /// The node let go of the job, which goes on in its scheduler (`SandboxOutcome.detached`).
    var detached = false
}

extension ComputeEngine {
    /// Moves a live job to a non-terminal `status` and stores the transition.
    func advance(_ id: String, to status: JobStatusCode) async throws {
        guard var job = live[id], !job.record.status.isTerminal else { return }
        job.record.transition(to: status, at: Self.now())
        live[id] = job
        try await persist(job.record)
    }

    /// Records where the job's scheduler holds it (state, reason, queue position): status 1
    /// while it waits there, 40 once it runs. Stored, so any node answers with it and a
    /// restarted node follows the job again.
    func scheduled(_ id: String, _ scheduled: SchedulerJob, waiting: Bool) async {
        guard var job = live[id], !job.record.status.isTerminal else { return }
        let status: JobStatusCode = waiting ? .warmingUp : .runningAlgorithm
        guard job.record.scheduler != scheduled || job.record.status != status else { return }
        job.record.scheduler = scheduled
        if job.record.status != status { job.record.transition(to: status, at: Self.now()) }
        live[id] = job
        do {
            try await persist(job.record)
        } catch {
            logger.error("cannot store a job's place in its scheduler", metadata: ["jobId": "\(id)", "error": "\(error)"])
        }
    }

    /// Records what a live job's run used (CPU time, peak memory); stored with the job's
    /// next step (50, or its end), which always follows.
    func record(_ usage: ResourceUsage, of id: String) {
        guard var job = live[id], !job.record.status.isTerminal else { return }
        job.record.usage = usage
        live[id] = job
    }

    /// Records the digests of the files provisioned into a live job's workspace.
    func record(_ digests: [FileDigest], of id: String) async throws {
        guard var job = live[id], !job.record.status.isTerminal else { return }
        job.record.fileDigests = digests
        live[id] = job
        try await persist(job.record)
    }

    /// Stores a job, in a task of its own: the store's async API gives up on cancelled
    /// tasks, and a stop or the shutdown cancelling the job's task (also while this write
    /// waits for the database) must not leave a state the engine showed unstored.
    func persist(_ record: JobRecord, releasingOrders: Bool = false) async throws {
        // Another replica's record stands for a job let go of.
        guard live[record.jobId]?.interruption != .takenOver else { return }
        let store = self.store
        try await Task.detached { try await store.update(record, releasingOrders: releasingOrders) }.value
    }

    /// Why the job's task was cancelled (nil if it was not).
    func interruption(of id: String) -> Interruption? {
        live[id]?.interruption
    }

    /// Ends a live job: stores its terminal state with its results, frees its slot,
    /// wakes those waiting for it and starts the next queued job.
    func finish(_ id: String, _ ending: JobEnding, results: [JobResultFile], checks: OutputChecks? = nil,
                outputDigests: [JobReceipt.File]? = nil) async {
        guard var job = live[id] else { return }
        if job.interruption == .takenOver { return dropTakenOver(id) }
        if job.interruption == .shutdown {
            return await finishShutDown(id, job, ending)
        }
        if ending.interrupted, job.interruption == nil {
            return await finishLost(id, job, ending)
        }
        job.record.terminationReason = ending.reason
        job.record.exitCode = ending.exitCode
        job.record.error = ending.error
        if let stop = ending.stopRequest { job.record.stopRequest = stop }
        job.record.results = results
        if let checks { job.record.outputChecks = checks }
        let now = Self.now()
        if let outputDigests, let receipt = await writeReceipt(job.record, ending, outputs: outputDigests, at: now) {
            job.record.results.append(receipt)
        }
        job.record.specification.map(discardStaged(of:))
        job.record.transition(to: ending.status, at: now)
        // Kept live until stored, so a status query never sees an older state.
        live[id] = job
        do {
            try await persist(job.record)
        } catch {
            logger.error("cannot store the end of a job", metadata: ["jobId": "\(id)", "error": "\(error)"])
        }
        live[id] = nil
        if let user = job.sandboxUser { sandboxUsers.release(user) }
        configuration.metrics.jobEnded(environment: job.record.environment, status: ending.status,
                                       ran: job.startedAt.map { now - $0 })
        logger.info("job finished", metadata: ["jobId": "\(id)", "status": "\(ending.status.rawValue)"])
        for waiter in finishWaiters.removeValue(forKey: id) ?? [] { waiter.resume() }
        // Its slot is free: the next queued job of the environment may run here.
        await claim(from: job.record.environment)
    }
}

extension ComputeEngine {
    /// Files staged for a job that ends without provisioning them (stopped while
    /// queued, failed earlier, interrupted by a restart) are not kept.
    nonisolated func discardStaged(of specification: JobSpecification) {
        if case .staged(let file) = specification.algorithm.code { SourceStager.discard([file], under: configuration.stagingRoot) }
    }
}
