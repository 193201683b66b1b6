import Foundation
import SluiceCore

extension ComputeEngine {
    /// Accepts a job: checks it, stores it (status 1) and queues it.
    public func submit(_ specification: JobSpecification) async throws -> JobStatus {
        try await submit(specification) { job in try await self.store.insert(job) }
    }

    /// Like `submit(_:)`, storing the job in the same transaction as the check-and-set
    /// of the nonce that authorised it and the use of the orders that pay for it (a
    /// stale nonce or a used order throws and nothing is stored or run).
    public func submit(_ specification: JobSpecification, authorizedBy nonce: Nonce,
                       of address: EthereumAddress, consumingOrders orders: [String] = []) async throws -> JobStatus {
        try await submit(specification) { job in
            try await self.store.insert(job, authorizedBy: nonce, of: address, consumingOrders: orders)
        }
    }

    private func submit(_ specification: JobSpecification,
                        insert: @Sendable (JobRecord) async throws -> Void) async throws -> JobStatus {
        guard !isShuttingDown else { throw RequestError(.unavailable, "the node is shutting down; try again later") }
        let environment = try SpecificationCheck.check(specification, environments: environments,
                                                       maxSourceBytes: configuration.maxSourceBytes)
        guard backends[environment.backend] != nil else {
            throw RequestError(.unavailable, "environment \"\(environment.id)\" uses backend \"\(environment.backend)\", which this node does not run")
        }
        // Submissions still being stored count against the queue too, so concurrent
        // submits cannot overfill it while they wait for the database.
        let pending = pendingSubmissions[environment.id, default: 0]
        guard let queue = queues[environment.id], queue.hasRoom(pending: pending, maxQueued: environment.maxQueuedJobs) else {
            throw RequestError(.tooManyRequests, "the queue of environment \"\(environment.id)\" is full; try again later", field: "environment")
        }
        let record = JobRecord(jobId: JobID.make(), specification: specification, now: Self.now())
        pendingSubmissions[environment.id] = pending + 1
        defer { pendingSubmissions[environment.id, default: 1] -= 1 }
        try await insert(record)
        // Stored as status 1: even if the node stops right now, the next start runs it.
        live[record.jobId] = LiveJob(record: record)
        queues[environment.id]?.enqueue(record.jobId)
        logger.info("job queued", metadata: ["jobId": "\(record.jobId)", "environment": "\(environment.id)"])
        pump(environment.id)
        return JobStatus(record)
    }

    /// Starts waiting jobs of the environment while it has free slots.
    func pump(_ environmentID: String) {
        guard !isShuttingDown, let environment = environments[environmentID],
              let backend = backends[environment.backend] else { return }
        while let id = queues[environmentID]?.startNext() {
            guard let job = live[id], let specification = job.record.specification else {
                queues[environmentID]?.finished(id)
                continue
            }
            let user = sandboxUsers.lease()
            live[id]?.sandboxUser = user
            let execution = JobExecution(
                engine: self, jobId: id, specification: specification, environment: environment,
                backend: backend, workspace: workspace(of: id), user: user, configuration: configuration)
            live[id]?.task = Task.detached { await execution.run() }
        }
    }
}
