import Foundation
import Logging
public import SluiceCore

extension ComputeEngine {
    /// Stops a queued or running job, on whichever replica holds it, and returns its status
    /// once it is terminal (7, with its logs and the outputs written so far). A finished
    /// job, or one awaiting its data owner's review (its algorithm has ended), is returned
    /// as it is. nil for an unknown job.
    public func stop(id: String) async throws -> JobStatus? {
        if let job = live[id] {
            if job.record.status.isTerminal { return JobStatus(job.record) }
            stopHeld(id)
            return try await waitUntilFinished(id: id)
        }
        guard JobID.isWellFormed(id) else { return nil }
        switch try await store.askStop(jobId: id, hold: hold()) {
        case .claimed(let record):
            // It waited in the queue: now this replica's, it ends here without running.
            live[id] = LiveJob(record: record)
            await finish(id, JobEnding(status: .jobStopped, reason: .stopped, stopRequest: .requested), results: [])
            return try await job(id: id)
        case .marked:
            // Its replica sees the request at its next heartbeat and stops it.
            return try await waitUntilFinished(id: id)
        case .nothingRuns:
            return try await job(id: id)
        }
    }

    /// Cancels a job this replica runs; it ends as stopped (7).
    func stopHeld(_ id: String) {
        guard var job = live[id], !job.record.status.isTerminal, job.interruption == nil else { return }
        job.interruption = .stop
        job.record.stopRequest = .requested
        live[id] = job
        job.task?.cancel()
    }

    /// Stops this replica's run of a job another replica holds (or may hold) now, storing
    /// nothing more about it: the other replica's record stands. A job its scheduler runs
    /// is only let go of (the other replica follows it).
    func letGo(_ id: String, because reason: String) {
        guard var job = live[id], job.interruption != .takenOver else { return }
        logger.warning("job let go of", metadata: ["jobId": "\(id)", "reason": "\(reason)"])
        let scheduled = schedulesJobs(job.record.environment)
        job.interruption = .takenOver
        live[id] = job
        if scheduled { job.detach.raise() }
        if let task = job.task {
            task.cancel()
        } else {
            dropTakenOver(id)
        }
    }

    /// Forgets a job let go of, once its run ended.
    func dropTakenOver(_ id: String) {
        guard let job = live.removeValue(forKey: id) else { return }
        if let user = job.sandboxUser { sandboxUsers.release(user) }
        for waiter in finishWaiters.removeValue(forKey: id) ?? [] { waiter.resume() }
        claimSoon(from: job.record.environment)
    }

    /// Stops the job if needed, then removes its workspace, results and record.
    /// Returns the job as it was, reported as deleted (status 8); nil when unknown.
    public func delete(id: String) async throws -> JobStatus? {
        guard let status = try await stop(id: id) else { return nil }
        workspace(of: id).remove()
        try await store.deleteJob(id: id)
        logger.info("job deleted", metadata: ["jobId": "\(id)"])
        return status.deleted()
    }
}
