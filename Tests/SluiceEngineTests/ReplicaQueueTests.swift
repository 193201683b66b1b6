import Foundation
import Logging
import SluiceCore
@testable import SluiceEngine
import SluicePostgres
import SluiceTesting
import Testing

/// Three engines (replicas) on one PostgreSQL database and one shared directory, as three
/// `sluice serve` processes would be: the queue is the database's, so any replica runs any
/// job, `maxJobs` holds across them, a stop asked of one reaches the job another runs, and
/// the jobs of a replica that is gone are taken over.
@Suite("Replicas sharing one queue on PostgreSQL")
struct ReplicaQueueTests {
    struct Replicas {
        let engines: [ComputeEngine]
        let stores: [PostgresStore]
        let dataDirectory: URL
        let environment: ComputeEnvironment

        /// `beforeStart` sees the database before any replica starts.
        static func make(count: Int = 3, configure: (inout ComputeEnvironment) -> Void = { _ in },
                         beforeStart: (PostgresStore) async throws -> Void = { _ in }) async throws -> Replicas {
            let database = try await PostgresTestServer.freshDatabase(on: try server())
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-replicas-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            var environment = ComputeEnvironment(id: "test-env", nCPU: 1, ramGB: 0.25, diskGB: 0.0625, maxJobs: 2,
                                                 maxJobDuration: 60, maxProcesses: 64, storageExpiry: 3600)
            environment.maxQueuedJobs = 100
            environment.runtimes = try TestRuntimes.all()
            configure(&environment)
            var logger = Logger(label: "sluice.engine.replicas")
            logger.logLevel = .warning
            var engines: [ComputeEngine] = [], stores: [PostgresStore] = []
            for _ in 0..<count {
                stores.append(try await PostgresStore(database: database, password: nil, logger: logger,
                                                      startupLimit: PostgresTestServer.startupLimit))
            }
            try await beforeStart(stores[0])
            for (i, store) in stores.enumerated() {
                var configuration = EngineConfiguration(dataDirectory: dir.path, fetchTimeoutSeconds: 5,
                                                        egress: EngineHarness.loopbackAllowed)
                configuration.replica = "test-replica-\(i):\(UUID().uuidString.prefix(8))"
                // Each replica its own uids, as nodes sharing a host must have.
                let first = UInt32(1_900_100_000 + i * 1_000)
                configuration.sandboxUIDs = first...(first + 999)
                configuration.holdSeconds = 30
                configuration.heartbeat = .milliseconds(200)
                let engine = ComputeEngine(configuration: configuration, environments: [environment], store: store,
                                           backends: [BubblewrapBackend(logger: logger)], logger: logger)
                try await engine.start()
                engines.append(engine)
            }
            return Replicas(engines: engines, stores: stores, dataDirectory: dir, environment: environment)
        }

        func shutdown() async {
            for engine in engines { await engine.shutdown() }
            for store in stores { store.close() }
            try? FileManager.default.removeItem(at: dataDirectory)
        }

        func output(_ jobId: String, _ name: String) -> String? {
            try? String(contentsOf: dataDirectory.appendingPathComponent("jobs/\(jobId)/outputs/\(name)"), encoding: .utf8)
        }

        static func server() throws -> PostgresURL {
            switch PostgresTestServer.availability {
            case .available(let server):
                return server
            case .skipped(let reason):
                try Test.cancel("skipped: \(reason)")
            case .missingUnderCI(let reason):
                Issue.record("CI is set, so the PostgreSQL tests must run: \(reason)")
                throw CancellationError()
            }
        }
    }

    static func with(count: Int = 3, configure: (inout ComputeEnvironment) -> Void = { _ in },
                     beforeStart: (PostgresStore) async throws -> Void = { _ in },
                     _ body: (Replicas) async throws -> Void) async throws {
        let replicas = try await Replicas.make(count: count, configure: configure, beforeStart: beforeStart)
        do {
            try await body(replicas)
        } catch {
            await replicas.shutdown()
            throw error
        }
        await replicas.shutdown()
    }

    /// Each run marks its workspace with O_EXCL (two runs of one job at once would share it)
    /// and writes when it started and ended.
    static let timed = EngineHarness.python("""
        import os, time
        os.close(os.open("/data/outputs/marker", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        start = time.time()
        time.sleep(0.4)
        open("/data/outputs/span", "w").write("%f %f" % (start, time.time()))
        """)

    @Test func jobsSubmittedRoundRobinRunOnAnyReplicaAndMaxJobsHoldsAcrossThem() async throws {
        try await Self.with { r in
            var ids: [String] = []
            for i in 0..<12 { ids.append(try await r.engines[i % 3].submit(Self.timed).jobId) }
            var spans: [(Double, Double)] = []
            for (i, id) in ids.enumerated() {
                // Asked of another replica than the one it was submitted to.
                let done = try #require(try await r.engines[(i + 1) % 3].waitUntilFinished(id: id))
                #expect(done.status == 70, "\(done.error ?? "")")
                let fields = (r.output(id, "span") ?? "").split(separator: " ").compactMap { Double($0) }
                if fields.count == 2 { spans.append((fields[0], fields[1])) }
            }
            #expect(spans.count == 12)
            // Never more than the environment's two at once, counted across the replicas
            // (jobs that shared under a tenth of a second only touched, end to start).
            let most = RunSpans.mostAtOnce(spans.map { (start: $0.0, end: $0.1) })
            #expect(most <= 2, "\(most) jobs ran at once")
            for engine in r.engines { #expect(await engine.currentJobs(environment: "test-env") == 0) }
        }
    }

    @Test func aStopAskedOfOneReplicaStopsTheJobAnotherRuns() async throws {
        try await Self.with(count: 2) { r in
            let job = try await r.engines[0].submit(EngineHarness.python("""
                import time
                open("/data/outputs/partial.txt", "w").write("half")
                print("started", flush=True)
                time.sleep(60)
                """))
            let log = r.dataDirectory.appendingPathComponent("jobs/\(job.jobId)/logs/algorithm.log")
            #expect(try await eventually(within: 60) { ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("started") })
            let asked = Date()
            let stopped = try #require(try await r.engines[1].stop(id: job.jobId))
            #expect(stopped.status == 7 && stopped.terminationReason == "stopped", "\(stopped)")
            #expect(stopped.results.contains { $0.filename == "partial.txt" })
            // A heartbeat (0.2 s here) and the kill; generous for a loaded machine.
            #expect(Date().timeIntervalSince(asked) < 10)
        }
    }

    @Test func aJobQueuedWhileItsReplicaIsDownRunsOnAnother() async throws {
        try await Self.with(count: 2) { r in
            await r.engines[0].shutdown()
            // Stored by a replica that then went: only the other may run it.
            let record = JobRecord(jobId: JobID.make(), specification: Self.timed, now: Date().timeIntervalSince1970)
            try await r.stores[0].insert(record)
            let done = try #require(try await r.engines[1].waitUntilFinished(id: record.jobId))
            #expect(done.status == 70, "\(done.error ?? "")")
        }
    }

    /// A replica that stops renewing its holds (killed, its machine gone) has its running
    /// job taken over once the hold expires, and run again from a fresh workspace.
    @Test func aGoneReplicasRunningJobIsTakenOverAndRunsAgain() async throws {
        let id = JobID.make()
        try await Self.with(count: 2, beforeStart: { store in
            // Held by a replica on another machine, whose last renewal was a moment ago,
            // and running there.
            try await store.insert(JobRecord(jobId: id, specification: Self.timed, now: Date().timeIntervalSince1970))
            let gone = JobHold(replica: "another-host:4242", until: Date().timeIntervalSince1970 + 1)
            var claimed = try #require(try await store.claimNext(environment: "test-env", slots: 10, for: gone))
            claimed.transition(to: .runningAlgorithm, at: Date().timeIntervalSince1970)
            try await store.update(claimed)
        }) { r in
            let done = try #require(try await r.engines[1].waitUntilFinished(id: id))
            #expect(done.status == 70, "\(done.error ?? "")")
            let stored = try #require(try await r.stores[1].job(id: id))
            #expect(stored.interruptedRuns == 1)
        }
    }

    /// The room of an environment counts every replica's jobs.
    /// A replica whose job was taken over while its hold had run out (it stalled, or lost
    /// the database) kills its run at its next heartbeat and stores nothing more: the
    /// record of the replica that holds the job now stands.
    @Test func aReplicaWhoseJobWasTakenOverLetsItGoAndStoresNothing() async throws {
        try await Self.with(count: 1) { r in
            let engine = r.engines[0], store = r.stores[0]
            let id = try await engine.submit(EngineHarness.python("""
                import time
                while True:
                    print("tick", flush=True)
                    time.sleep(0.1)
                """)).jobId
            let log = r.dataDirectory.appendingPathComponent("jobs/\(id)/logs/algorithm.log")
            func logBytes() -> Int { (try? Data(contentsOf: log).count) ?? 0 }
            #expect(try await eventually(within: 60) { logBytes() > 0 })
            // What another replica does once this one's hold looks expired to it.
            let other = JobHold(replica: "another-host:7", until: ComputeEngine.now() + 600)
            let taken = try await store.takeOver(for: other, now: ComputeEngine.now() + 100, dead: [])
            #expect(taken.map(\.jobId) == [id])
            #expect(try await eventually(within: 30) { await engine.live[id] == nil }, "let go of at a heartbeat")
            let stopped = logBytes()
            try await Task.sleep(for: .seconds(1))
            #expect(logBytes() == stopped, "its run was killed")
            let record = try #require(try await store.job(id: id))
            #expect(!record.status.isTerminal, "nothing stored over the other replica's record: \(record.status)")
            #expect(try await store.jobHolds()[id]?.replica == other.replica)
        }
    }

    /// The owner's decision is taken by any replica, and a passed deadline is swept by
    /// exactly one, whichever replica ran the job.
    @Test func aReviewIsDecidedOnAnyReplicaAndItsDeadlineSweptByOne() async throws {
        try await Self.with { r in
            let approved = try await r.engines[0].submit(OwnerReleaseTests.spec()).jobId
            let lapsing = try await r.engines[0].submit(OwnerReleaseTests.spec(deadline: 600)).jobId
            for id in [approved, lapsing] {
                let held = try await r.engines[0].waitUntilFinished(id: id)
                #expect(held?.status == 50, "\(held?.error ?? "")")
            }
            // Two replicas at once: one stores the approval, the other is told to send it again.
            let owner = OwnerReleaseTests.datasetOwner
            @Sendable func decide(_ engine: ComputeEngine) async -> Result<JobStatus?, any Error> {
                do { return .success(try await engine.review(id: approved, by: owner, verdict: .approve, reason: nil)) } catch { return .failure(error) }
            }
            async let first = decide(r.engines[1])
            async let second = decide(r.engines[2])
            let outcomes = await [first, second]
            let done = outcomes.compactMap { try? $0.get() }
            #expect(done.count == 1 && done.first?.status == 70, "\(outcomes)")
            for case .failure(let error) in outcomes {
                #expect([ReviewRefusal.busy(jobId: approved), .alreadyDecided(jobId: approved), .notAwaitingReview(jobId: approved)]
                    .contains(error as? ReviewRefusal), "\(error)")
            }
            #expect(try await r.engines[0].job(id: approved)?.status == 70)

            let later = ComputeEngine.now() + 3600
            let swept = await withTaskGroup(of: Int.self) { group in
                for engine in r.engines { group.addTask { await engine.sweepReviews(now: later) } }
                return await group.reduce(0, +)
            }
            #expect(swept == 1, "the lapsed review is concluded once")
            let lapsed = try await r.engines[1].job(id: lapsing)
            #expect(lapsed?.status == 70 && lapsed?.terminationReason == "outputWithheld" && lapsed?.review?.state == .expired)
        }
    }

    /// Every replica sweeps expired jobs; each job is removed by exactly one of them.
    @Test func expiredJobsAreRemovedOnceWhenEveryReplicaSweepsAtOnce() async throws {
        try await Self.with { r in
            var ids: [String] = []
            for i in 0..<6 { ids.append(try await r.engines[i % 3].submit(EngineHarness.python("print('done')")).jobId) }
            for id in ids {
                let status = try await r.engines[0].waitUntilFinished(id: id)
                #expect(status?.status == 70)
            }
            let later = ComputeEngine.now() + Double(r.environment.storageExpiry) + 60
            let removed = await withTaskGroup(of: Int.self) { group in
                for engine in r.engines { group.addTask { await engine.sweepExpired(now: later) } }
                return await group.reduce(0, +)
            }
            #expect(removed == ids.count, "\(removed) removals for \(ids.count) expired jobs")
            for id in ids {
                #expect(try await r.stores[1].job(id: id) == nil)
                #expect(!FileManager.default.fileExists(atPath: r.dataDirectory.appendingPathComponent("jobs/\(id)").path))
            }
        }
    }

    @Test func aFullQueueOnOneReplicaIsFullOnEvery() async throws {
        try await Self.with(configure: { $0.maxJobs = 1; $0.maxQueuedJobs = 1 }) { r in
            let long = EngineHarness.python("import time\ntime.sleep(30)")
            let first = try await r.engines[0].submit(long)
            let second = try await r.engines[1].submit(long)
            await #expect(throws: RequestError.self) { try await r.engines[2].submit(long) }
            for engine in r.engines { #expect(await engine.currentJobs(environment: "test-env") == 1) }
            for engine in r.engines { #expect(await engine.queuedJobs(environment: "test-env") == 1) }
            _ = try await r.engines[2].stop(id: first.jobId)
            _ = try await r.engines[2].stop(id: second.jobId)
        }
    }
}
