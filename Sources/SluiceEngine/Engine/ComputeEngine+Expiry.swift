import Foundation
import Logging
import SluiceCore

extension ComputeEngine {
    /// Removes jobs (record, then workspace and results) that finished more than their
    /// environment's storageExpiry ago. Every replica sweeps; the one whose delete took
    /// the record removes the files, so none is removed twice. Returns how many this
    /// sweep removed.
    @discardableResult
    public func sweepExpired(now: Double? = nil) async -> Int {
        let now = now ?? Self.now()
        var removed = 0
        for environment in environments.values {
            let cutoff = now - Double(environment.storageExpiry)
            guard let expired = try? await store.finishedJobs(environment: environment.id, before: cutoff) else { continue }
            for record in expired where live[record.jobId] == nil {
                do {
                    guard try await store.deleteJob(id: record.jobId) else { continue }
                    workspace(of: record.jobId).remove()
                    removed += 1
                } catch {
                    logger.error("cannot remove an expired job", metadata: ["jobId": "\(record.jobId)", "error": "\(error)"])
                }
            }
        }
        if removed > 0 { logger.info("expired jobs removed", metadata: ["count": "\(removed)"]) }
        return removed
    }

    func startSweeper() {
        let interval = configuration.expirySweepInterval
        sweeper = Task { [weak self] in
            while !Task.isCancelled {
                await self?.sweepExpired()
                await self?.sweepReviews()
                try? await Task.sleep(for: interval)
            }
        }
    }
}
