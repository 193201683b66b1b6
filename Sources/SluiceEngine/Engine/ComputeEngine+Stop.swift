import Foundation
import Logging
public import SluiceCore

extension ComputeEngine {
    /// Stops a queued or running job and returns its status once it is terminal (7,
    /// with its logs and the outputs written so far). A finished job, or one awaiting its
    /// data owner's review (its algorithm has ended), is returned as it is. nil for an
    /// unknown job.
    public func stop(id: String) async throws -> JobStatus? {
        guard var job = live[id] else { return try await self.job(id: id) }
        if job.record.status.isTerminal { return JobStatus(job.record) }
        if let queue = queues[job.record.environment], queue.running.contains(id) {
            if job.interruption == nil {
                job.interruption = .stop
                job.record.stopRequest = .requested
                live[id] = job
                job.task?.cancel()
            }
            return try await waitUntilFinished(id: id)
        }
        _ = queues[job.record.environment]?.removeWaiting(id)
        await finish(id, JobEnding(status: .jobStopped, reason: .stopped, stopRequest: .requested), results: [])
        return try await self.job(id: id)
    }

    /// Stops the job if needed, then removes its workspace, results and record.
    /// Returns the job as it was, reported as deleted (status 8); nil when unknown.
    public func delete(id: String) async throws -> JobStatus? {
        guard let status = try await stop(id: id) else { return nil }
        awaitingReview[id] = nil
        workspace(of: id).remove()
        try await store.deleteJob(id: id)
        logger.info("job deleted", metadata: ["jobId": "\(id)"])
        return status.deleted()
    }
}
