import Foundation
import Logging
public import SluiceCore

extension ComputeEngine {
    /// Accepts a job: checks it and stores it (status 1) in the shared queue.
    public func submit(_ specification: JobSpecification) async throws -> JobStatus {
        try await submit(specification) { job in try await self.store.insert(job) }
    }

    /// Like `submit(_:)`, with the caller storing the new record: the application layer
    /// stores it in the transaction that admits it (nonce, orders and the environment's
    /// room), which the engine knows nothing of. Whatever `storing` throws, nothing is
    /// queued or run. When a slot is free the job is this replica's, running, on return.
    public func submit(_ specification: JobSpecification,
                       storing insert: @Sendable (JobRecord) async throws -> Void) async throws -> JobStatus {
        guard !isShuttingDown else { throw RequestError(.unavailable, "the node is shutting down; try again later") }
        let environment = try SpecificationCheck.check(specification, environments: environments,
                                                       maxSourceBytes: configuration.maxSourceBytes)
        guard backends[environment.backend.name] != nil else {
            throw RequestError(.unavailable, "environment \"\(environment.id)\" uses backend \"\(environment.backend.name)\", which this node does not run")
        }
        try await requireRoom(environment: environment.id)
        let record = JobRecord(jobId: JobID.make(), specification: specification, now: Self.now())
        // Submissions still being stored count against the queue too, so concurrent
        // submits cannot overfill it while they wait for the database.
        pendingSubmissions[environment.id, default: 0] += 1
        defer { pendingSubmissions[environment.id, default: 1] -= 1 }
        try await insert(record)
        // Stored as status 1 in the shared queue: any replica may run it from now.
        logger.info("job queued", metadata: ["jobId": "\(record.jobId)", "environment": "\(environment.id)"])
        await claim(from: environment.id)
        return JobStatus(record)
    }

    /// The one queue-room rule: the environment takes one more job while its unfinished
    /// jobs on every replica, and this replica's being-stored ones, stay below
    /// `maxJobs + maxQueuedJobs`. Compute start asks early (before fetching anything),
    /// `submit` asks again, and the admitting transaction counts once more (`room`).
    public func requireRoom(environment id: String) async throws(RequestError) {
        guard let room = room(environment: id) else {
            throw RequestError(.tooManyRequests, "the queue of environment \"\(id)\" is full; try again later", field: "environment")
        }
        let active = (try? await store.activeJobs(environment: id))?.total ?? 0
        guard active + pendingSubmissions[id, default: 0] < room.capacity else {
            throw RequestError(.tooManyRequests, AdmissionError.environmentFull(environment: id).description, field: "environment")
        }
    }

    /// The environment's room, for the admitting transaction to count in; nil for an
    /// environment this node does not offer.
    public func room(environment id: String) -> EnvironmentRoom? {
        environments[id].map { EnvironmentRoom(environment: $0.id, capacity: $0.maxJobs + $0.maxQueuedJobs) }
    }

    /// Whether the environment's backend can take a job now (a Slurm cluster answers);
    /// compute start asks before it uses any order.
    public func requireAvailable(environment id: String) async throws(RequestError) {
        guard let environment = environments[id], let backend = backends[environment.backend.name] else { return }
        try await backend.requireAvailable(environment)
    }

    /// Claims the environment's queued jobs for this replica, and starts them, while its
    /// slots across replicas allow. One claim loop per environment at a time: a call
    /// during one makes it look again when it ends.
    func claim(from environmentID: String) async {
        guard !isShuttingDown, let environment = environments[environmentID],
              let backend = backends[environment.backend.name] else { return }
        guard claiming.insert(environmentID).inserted else {
            claimAgain.insert(environmentID)
            return
        }
        defer { claiming.remove(environmentID) }
        repeat {
            claimAgain.remove(environmentID)
            while !isShuttingDown {
                let claimed: JobRecord?
                do {
                    claimed = try await store.claimNext(environment: environmentID, slots: slots(environment), for: hold())
                } catch {
                    logger.error("cannot claim a queued job", metadata: ["environment": "\(environmentID)", "error": "\(error)"])
                    return
                }
                guard let record = claimed else { break }
                run(record, in: environment, on: backend)
            }
        } while claimAgain.contains(environmentID) && !isShuttingDown
    }

    /// `claim(from:)`, in a task of its own: for callers that must not wait for it.
    func claimSoon(from environmentID: String) {
        Task { await self.claim(from: environmentID) }
    }

    /// Runs a job this replica holds (claimed, or taken over and back at status 1).
    func run(_ record: JobRecord, in environment: ComputeEnvironment, on backend: any SandboxBackend) {
        let id = record.jobId
        guard let specification = record.specification else {
            // Nothing to run it from (a record stored without one): it cannot start.
            live[id] = LiveJob(record: record)
            Task { await self.finish(id, JobEnding(status: .algorithmProvisioningFailed, reason: .algorithmProvisioningFailed,
                                                   error: "the node lost what the job was to run; start it again"), results: []) }
            return
        }
        var job = LiveJob(record: record)
        job.sandboxUser = sandboxUsers.lease()
        let now = Self.now()
        job.startedAt = now
        live[id] = job
        configuration.metrics.jobStarted(environment: environment.id, waited: now - record.dateCreated)
        let execution = JobExecution(
            engine: self, jobId: id, specification: specification, environment: environment,
            backend: backend, workspace: workspace(of: id), user: job.sandboxUser, configuration: configuration,
            detach: job.detach)
        live[id]?.task = Task.detached { await execution.run() }
    }
}
