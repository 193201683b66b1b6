import Foundation
import Logging
import SluiceCore

extension ComputeEngine {
    /// A job the node interrupted (a crash, a restart, a shutdown) goes back to status 1
    /// with a fresh workspace when it still may (`interruptedJobRetries`) and can (its
    /// specification and environment are still here); stored so. False otherwise.
    func runAgain(_ record: inout JobRecord) async throws -> Bool {
        guard record.specification != nil, environments[record.environment] != nil,
              (record.interruptedRuns ?? 0) < configuration.interruptedJobRetries else { return false }
        let workspace = workspace(of: record.jobId)
        // A staged algorithm was moved into the workspace when the run began: its bytes go
        // back to staging for the next run, which checks their hash again before use.
        if case .staged(let file)? = record.specification?.algorithm.code, !FileManager.default.fileExists(atPath: file.path) {
            let staged = URL(fileURLWithPath: file.path)
            try? FileManager.default.createDirectory(at: staged.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
            try? FileManager.default.copyItem(at: workspace.algorithm, to: staged)
        }
        // Whatever the interrupted run left (outputs, logs, inputs) must not reach the next one.
        workspace.remove()
        record.interruptedRuns = (record.interruptedRuns ?? 0) + 1
        record.results = []
        record.error = nil
        record.exitCode = nil
        record.terminationReason = nil
        record.transition(to: .warmingUp, at: Self.now())
        try await persist(record)
        return true
    }

    /// A job the node's shutdown cut short: queued again for the next start when it may
    /// run again, else ended with its orders released. A job its scheduler keeps running
    /// (`ending.detached`) is left as stored, for the next start to follow again.
    func finishShutDown(_ id: String, _ job: LiveJob, _ ending: JobEnding) async {
        var record = job.record
        do {
            if ending.detached {
                // Held still: another replica takes it over (and follows it) once the hold
                // expires, or this node's next start does at once.
                logger.notice("job left running in its scheduler", metadata: ["jobId": "\(id)"])
            } else if try await runAgain(&record) {
                // Back in the shared queue, for any replica.
                try await store.release([id], replica: configuration.replica)
            } else {
                try await endInterrupted(&record, ending: JobEnding(
                    status: ending.status, reason: .nodeShutdown,
                    error: "the node shut down while the job was running; its logs and partial outputs are kept; its orders were released, so the same orders start it again"))
            }
        } catch {
            logger.error("cannot store a job the shutdown interrupted", metadata: ["jobId": "\(id)", "error": "\(error)"])
        }
        live[id] = nil
        if let user = job.sandboxUser { sandboxUsers.release(user) }
        for waiter in finishWaiters.removeValue(forKey: id) ?? [] { waiter.resume() }
    }

    /// A job its backend lost (a cluster's compute node failed, Slurm preempted it): queued
    /// again from a fresh workspace when it may run again, else ended with its orders
    /// released, as a job a restart interrupted.
    func finishLost(_ id: String, _ job: LiveJob, _ ending: JobEnding) async {
        var record = job.record
        var requeued = false
        do {
            requeued = try await runAgain(&record)
            if !requeued { try await endInterrupted(&record, ending: ending) }
        } catch {
            logger.error("cannot store a job its backend lost", metadata: ["jobId": "\(id)", "error": "\(error)"])
        }
        if let user = job.sandboxUser { sandboxUsers.release(user) }
        if requeued, let environment = environments[record.environment], let backend = backends[environment.backend.name] {
            // Still held by this replica, in its slot: it runs again here.
            logger.notice("job its backend lost runs again", metadata: ["jobId": "\(id)"])
            run(record, in: environment, on: backend)
        } else {
            live[id] = nil
            for waiter in finishWaiters.removeValue(forKey: id) ?? [] { waiter.resume() }
            await claim(from: record.environment)
        }
    }

    /// Ends an interrupted job that will not run again: its partial results are published
    /// and the orders that paid for it released in the same write.
    func endInterrupted(_ record: inout JobRecord, ending: JobEnding) async throws {
        let checked = await checkAndPublish(workspace(of: record.jobId), specification: record.specification, ending: ending)
        record.results = checked.results
        record.outputChecks = checked.checks
        record.error = checked.ending.error
        record.terminationReason = checked.ending.reason
        record.specification.map(discardStaged(of:))
        record.transition(to: ending.status, at: Self.now())
        try await persist(record, releasingOrders: true)
    }
}
