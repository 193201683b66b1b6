import Foundation
import Logging
public import SluiceCore

extension ComputeEngine {
    /// Accepts a job: checks it, stores it (status 1) and queues it.
    public func submit(_ specification: JobSpecification) async throws -> JobStatus {
        try await submit(specification) { job in try await self.store.insert(job) }
    }

    /// Like `submit(_:)`, with the caller storing the new record: the application layer
    /// stores it in the transaction that admits it (nonce and orders), which the engine
    /// knows nothing of. Whatever `storing` throws, nothing is queued or run.
    public func submit(_ specification: JobSpecification,
                       storing insert: @Sendable (JobRecord) async throws -> Void) async throws -> JobStatus {
        guard !isShuttingDown else { throw RequestError(.unavailable, "the node is shutting down; try again later") }
        let environment = try SpecificationCheck.check(specification, environments: environments,
                                                       maxSourceBytes: configuration.maxSourceBytes)
        guard backends[environment.backend.name] != nil else {
            throw RequestError(.unavailable, "environment \"\(environment.id)\" uses backend \"\(environment.backend.name)\", which this node does not run")
        }
        try requireRoom(environment: environment.id)
        let record = JobRecord(jobId: JobID.make(), specification: specification, now: Self.now())
        // Submissions still being stored count against the queue too, so concurrent
        // submits cannot overfill it while they wait for the database.
        pendingSubmissions[environment.id, default: 0] += 1
        defer { pendingSubmissions[environment.id, default: 1] -= 1 }
        try await insert(record)
        // Stored as status 1: even if the node stops right now, the next start runs it.
        live[record.jobId] = LiveJob(record: record)
        queues[environment.id]?.enqueue(record.jobId)
        logger.info("job queued", metadata: ["jobId": "\(record.jobId)", "environment": "\(environment.id)"])
        pump(environment.id)
        return JobStatus(record)
    }

    /// The one queue-room rule: the environment takes one more job while its running,
    /// waiting and being-stored jobs stay below `maxJobs + maxQueuedJobs`. Compute start
    /// asks early (before fetching anything) and `submit` asks again, through this.
    public func requireRoom(environment id: String) throws(RequestError) {
        guard let environment = environments[id], let queue = queues[id],
              queue.hasRoom(pending: pendingSubmissions[id, default: 0], maxQueued: environment.maxQueuedJobs) else {
            throw RequestError(.tooManyRequests, "the queue of environment \"\(id)\" is full; try again later", field: "environment")
        }
    }

    /// Whether the environment's backend can take a job now (a Slurm cluster answers);
    /// compute start asks before it uses any order.
    public func requireAvailable(environment id: String) async throws(RequestError) {
        guard let environment = environments[id], let backend = backends[environment.backend.name] else { return }
        try await backend.requireAvailable(environment)
    }

    /// Starts waiting jobs of the environment while it has free slots.
    func pump(_ environmentID: String) {
        guard !isShuttingDown, let environment = environments[environmentID],
              let backend = backends[environment.backend.name] else { return }
        while let id = queues[environmentID]?.startNext() {
            guard let job = live[id], let specification = job.record.specification else {
                queues[environmentID]?.finished(id)
                continue
            }
            let user = sandboxUsers.lease()
            live[id]?.sandboxUser = user
            let now = Self.now()
            live[id]?.startedAt = now
            configuration.metrics.jobStarted(environment: environmentID, waited: now - job.record.dateCreated)
            let execution = JobExecution(
                engine: self, jobId: id, specification: specification, environment: environment,
                backend: backend, workspace: workspace(of: id), user: user, configuration: configuration,
                detach: job.detach)
            live[id]?.task = Task.detached { await execution.run() }
        }
    }
}
