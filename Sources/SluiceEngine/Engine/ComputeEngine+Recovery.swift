import Foundation
import Logging
import SluiceCore

extension ComputeEngine {
    /// Takes over what a previous run of the node left, then starts the heartbeat and the
    /// expiry sweep. Call once, before use.
    ///
    /// Takeover policy (`adopt`), for the jobs of a replica that is gone (this node's
    /// previous process, at once; another replica's, once its hold expired): a job still
    /// at status 1 runs; a job a cluster scheduler holds (its id stored) is followed again;
    /// a job that was past status 1 was interrupted through no fault of its consumer: it
    /// runs again from a fresh workspace (`interruptedJobRetries` times), else it ends as
    /// 41 (`nodeRestarted`) with its orders released. Queued jobs wait in the shared queue
    /// for any replica; jobs awaiting their data owner's review keep waiting. Sandboxes of
    /// a dead process die with it (--die-with-parent) and leftover cgroups are emptied.
    public func start() async throws {
        let used = Set(environments.values.map(\.backend.name))
        for (name, backend) in backends where used.contains(name) { try await backend.verify() }
        try FileManager.default.createDirectory(at: configuration.workspaceRoot, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o711])
        chmod(configuration.workspaceRoot.path, 0o711)
        if SandboxUserPool.separatesJobs, let taken = SandboxUserPool.accountInside(configuration.sandboxUIDs) {
            throw EngineError.sandboxUIDsTaken(taken)
        }
        guard SandboxUserPool.anyJob.canReach(configuration.workspaceRoot.path) else {
            throw EngineError.workspaceUnreachable(configuration.workspaceRoot.path)
        }
        let unfinished = try await store.unfinishedJobs()
        for record in unfinished where record.status == .warmingUp && environments[record.environment] == nil {
            await endOffered(record)
        }
        // What a crashed run of this node left on its container engines (this node's
        // marker), but for the jobs other live replicas run there.
        let spared = try await jobsOfLiveReplicas()
        for (name, backend) in backends where used.contains(name) { await backend.removeOrphans(sparing: spared) }
        try await takeOverLost(includingOwnName: true)
        sweepStaging(keeping: try await store.unfinishedJobs())
        for id in environments.keys { await claim(from: id) }
        startHeartbeat()
        startSweeper()
    }

    /// A queued job of an environment this node no longer offers ends (32, its orders
    /// released), once it holds it: another replica that still offers it may have claimed it.
    private func endOffered(_ record: JobRecord) async {
        guard case .claimed(var record)? = try? await store.askStop(jobId: record.jobId, hold: hold()) else { return }
        try? await endInterrupted(&record, ending: Self.notOffered(record))
    }

    static func notOffered(_ record: JobRecord) -> JobEnding {
        JobEnding(status: .algorithmProvisioningFailed, reason: .algorithmProvisioningFailed,
                  error: "environment \(record.environment) is no longer offered by this node")
    }

    /// Takes over the jobs of replicas that are gone: this host's dead processes at once,
    /// any replica's once its hold expired, and at the start those held under this
    /// replica's own name (nothing of this engine runs yet). Each job goes to one replica.
    /// The jobs other replicas hold and renew: not this one's name, not a process gone
    /// from this host, not past their hold.
    func jobsOfLiveReplicas() async throws -> Set<String> {
        let now = Self.now()
        return Set(try await store.jobHolds().filter { _, hold in
            hold.replica != configuration.replica && hold.until >= now && !ReplicaName.isGoneFromThisHost(hold.replica)
        }.keys)
    }

    func takeOverLost(includingOwnName: Bool = false) async throws {
        var dead = try await store.holders().filter(ReplicaName.isGoneFromThisHost)
        if includingOwnName { dead.insert(configuration.replica) }
        for record in try await store.takeOver(for: hold(), now: Self.now(), dead: dead) {
            await adopt(record)
        }
    }

    /// A job taken over from a replica that is gone, now held by this one (see `start`).
    private func adopt(_ record: JobRecord) async {
        var record = record
        let id = record.jobId
        logger.notice("job of a replica that is gone taken over", metadata: ["jobId": "\(id)"])
        if isResumable(record) { return follow(record) }
        guard let environment = environments[record.environment], let backend = backends[environment.backend.name] else {
            try? await endInterrupted(&record, ending: Self.notOffered(record))
            return
        }
        if record.status == .warmingUp, record.specification != nil { return run(record, in: environment, on: backend) }
        for backend in backends.values { await backend.removeLeftovers(of: [id]) }
        do {
            // Running when its replica died: not the consumer's fault.
            if try await runAgain(&record) {
                logger.notice("job interrupted by a restart runs again", metadata: ["jobId": "\(id)"])
                run(record, in: environment, on: backend)
            } else {
                try await endInterrupted(&record, ending: JobEnding(
                    status: .algorithmFailed, reason: .nodeRestarted,
                    error: "the node restarted while this job was running; its logs and partial outputs are kept; its orders were released, so the same orders start it again"))
                logger.notice("job ended by restart", metadata: ["jobId": "\(id)"])
            }
        } catch {
            logger.error("cannot store a job taken over", metadata: ["jobId": "\(id)", "error": "\(error)"])
        }
    }

    /// Every `heartbeat`: renews this replica's holds and stops the jobs another replica
    /// was asked to stop, claims queued jobs (submitted elsewhere, or slots freed
    /// elsewhere), and every fourth time takes over the jobs of replicas that are gone.
    func startHeartbeat() {
        let interval = configuration.heartbeat
        heartbeat = Task { [weak self] in
            var beats = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, !Task.isCancelled else { return }
                await self.beat(lookingForLostJobs: beats % 4 == 3)
                beats += 1
            }
        }
    }

    func beat(lookingForLostJobs: Bool) async {
        guard !isShuttingDown else { return }
        let held = Array(live.keys)
        do {
            let renewal = try await store.renew(held, hold: hold())
            lastRenewal = .now
            for id in renewal.stopAsked { stopHeld(id) }
            for id in renewal.takenOver { letGo(id, because: "another replica took it over while this one's hold had run out") }
            if lookingForLostJobs { try await takeOverLost() }
        } catch {
            logger.error("cannot renew this replica's jobs", metadata: ["error": "\(error)"])
            // Self-fencing: past the hold's length, others may run these jobs already.
            if ContinuousClock.now - lastRenewal > .seconds(configuration.holdSeconds) {
                for id in held { letGo(id, because: "this replica could not renew its holds for longer than they last") }
            }
        }
        for id in environments.keys { await claim(from: id) }
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
        let execution = JobExecution(
            engine: self, jobId: id, specification: specification, environment: environment,
            backend: backend, workspace: workspace(of: id), user: job.sandboxUser, configuration: configuration,
            detach: job.detach)
        live[id] = job
        live[id]?.task = Task.detached { await execution.resume(scheduled) }
        logger.notice("following a job its scheduler holds", metadata: ["jobId": "\(id)", "schedulerJob": "\(scheduled.id)"])
    }

    /// How old a staged file no job refers to must be to be removed (seconds).
    static let stagingGrace: Double = 600

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
        // Another replica sharing the directory may be between staging and storing a job
        // right now: only what a start left long ago is stale.
        let staleBefore = Date().addingTimeInterval(-Self.stagingGrace)
        for entry in entries where !kept.contains(entry) {
            let url = root.appendingPathComponent(entry)
            let modified = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate]) as? Date
            if (modified ?? .distantPast) < staleBefore { try? FileManager.default.removeItem(at: url) }
        }
    }

    /// Kills running jobs (they run again, or end as 41 saying the node shut down) and
    /// stops the heartbeat and the sweep. Queued jobs stay in the shared queue.
    public func shutdown() async {
        isShuttingDown = true
        sweeper?.cancel()
        sweeper = nil
        heartbeat?.cancel()
        heartbeat = nil
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
