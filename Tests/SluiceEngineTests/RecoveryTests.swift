import Foundation
import SluiceCore
import SluiceStore
import Testing
@testable import SluiceEngine

@Suite("Restart after a crash", .serialized)
struct RecoveryTests {
    /// The store as a node killed with -9 leaves it: one job mid-run (status 40, with a
    /// partial log in its workspace), one waiting in the queue.
    /// With no retries left, an interrupted job ends (nodeRestarted) and its orders pay for nothing.
    @Test func queuedJobsRunAndInterruptedJobsEndWithAnError() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir.appendingPathComponent(SQLiteStore.fileName).path)
        let now = Date().timeIntervalSince1970

        var interrupted = JobRecord(jobId: JobID.make(), specification: EngineHarness.shell("sleep 100"), now: now - 10)
        let order = "0x" + String(repeating: "ab", count: 32)
        try await store.insert(interrupted, authorizedBy: Nonce(1), of: EthereumAddress(EngineHarness.owner)!, consumingOrders: [order])
        for (offset, status) in [JobStatusCode.jobStarted, .configuringVolumes, .provisioningSuccess, .runningAlgorithm].enumerated() {
            interrupted.transition(to: status, at: now - 9 + Double(offset))
            try await store.update(interrupted)
        }
        let workspace = Workspace(root: dir.appendingPathComponent("jobs").appendingPathComponent(interrupted.jobId))
        try workspace.create(sandboxUser: SandboxUserPool.anyJob)
        try Data("was running\n".utf8).write(to: workspace.algorithmLog)

        let queued = JobRecord(jobId: JobID.make(), specification: EngineHarness.shell("echo resumed > /data/outputs/r.txt"), now: now - 5)
        try await store.insert(queued)

        let h = try await EngineHarness.make(engineConfiguration: { $0.interruptedJobRetries = 0 }, dataDirectory: dir)
        do {
            let ended = try #require(try await h.engine.job(id: interrupted.jobId))
            #expect(ended.status == 41)
            #expect(ended.terminationReason == "nodeRestarted")
            #expect(ended.error?.contains("node restarted") == true)
            #expect(try await store.jobPaid(by: order) == nil)
            #expect(ended.terminationReason == "nodeRestarted")
            #expect(ended.dateFinished != nil)
            #expect(ended.results.map(\.filename) == ["algorithm.log", "configure.log", "publish.log"])
            let transitions = try await h.engine.transitions(of: interrupted.jobId).map(\.status.rawValue)
            #expect(transitions == [1, 10, 20, 30, 40, 41])

            let resumed = try #require(try await h.engine.waitUntilFinished(id: queued.jobId))
            #expect(resumed.status == 70, "\(resumed.error ?? "")")
            #expect(h.output(queued.jobId, "r.txt") == "resumed\n")
            #expect(try await store.unfinishedJobs().isEmpty)
        } catch {
            await h.shutdown()
            throw error
        }
        await h.shutdown()
    }

    @Test func shutdownEndsRunningJobsAndKeepsQueuedOnesForTheNextStart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-engine-\(UUID().uuidString)")
        let first = try await EngineHarness.make(configure: { $0.maxJobs = 1 }, engineConfiguration: { $0.interruptedJobRetries = 0 },
                                                 dataDirectory: dir)
        let running = try await first.engine.submit(EngineHarness.shell("echo up; sleep 60"))
        let waiting = try await first.engine.submit(EngineHarness.shell("true"))
        #expect(try await eventually(within: 20) { first.algorithmLog(running.jobId).contains("up") })
        await first.engine.shutdown()
        let ended = try #require(try await first.store.job(id: running.jobId))
        #expect(ended.status == .algorithmFailed)
        #expect(ended.error?.contains("shut down") == true)
        #expect(ended.terminationReason == .nodeShutdown)
        #expect(JobStatus(ended).terminationReason == "nodeShutdown")
        #expect(try await first.store.job(id: waiting.jobId)?.status == .warmingUp)

        let second = try await EngineHarness.make(configure: { $0.maxJobs = 1 }, dataDirectory: dir)
        let done = try await second.engine.waitUntilFinished(id: waiting.jobId)
        #expect(done?.status == 70)
        await second.shutdown()
    }

    /// The default policy: a job a crash interrupted runs again once, from a fresh
    /// workspace, and ends 70; interrupted a second time, it ends and frees its orders.
    @Test func anInterruptedJobRunsAgainFromAFreshWorkspaceThenEndsFreeingItsOrders() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir.appendingPathComponent(SQLiteStore.fileName).path)
        let now = Date().timeIntervalSince1970
        let script = "test -e /data/outputs/leftover && echo dirty; echo ran > /data/outputs/ran.txt"
        var job = JobRecord(jobId: JobID.make(), specification: EngineHarness.shell(script), now: now - 10)
        let order = "0x" + String(repeating: "cd", count: 32)
        try await store.insert(job, authorizedBy: Nonce(1), of: EthereumAddress(EngineHarness.owner)!, consumingOrders: [order])
        job.transition(to: .runningAlgorithm, at: now - 5)
        try await store.update(job)
        let workspace = Workspace(root: dir.appendingPathComponent("jobs").appendingPathComponent(job.jobId))
        try workspace.create(sandboxUser: SandboxUserPool.anyJob)
        try Data("partial".utf8).write(to: workspace.outputs.appendingPathComponent("leftover"))

        let h = try await EngineHarness.make(dataDirectory: dir)
        let rerun = try #require(try await h.engine.waitUntilFinished(id: job.jobId))
        #expect(rerun.status == 70, "\(h.algorithmLog(job.jobId))")
        #expect(h.output(job.jobId, "ran.txt") == "ran\n")
        #expect(h.output(job.jobId, "leftover") == nil)
        #expect(!h.algorithmLog(job.jobId).contains("dirty"))
        #expect(try await store.job(id: job.jobId)?.interruptedRuns == 1)
        #expect(try await store.jobPaid(by: order) == job.jobId)
        await h.engine.shutdown()

        // Interrupted again after its one retry: it ends, and the order pays for nothing.
        var again = JobRecord(jobId: JobID.make(), specification: EngineHarness.shell(script), now: now)
        let second = "0x" + String(repeating: "ef", count: 32)
        try await store.insert(again, authorizedBy: Nonce(2), of: EthereumAddress(EngineHarness.owner)!, consumingOrders: [second])
        again.interruptedRuns = 1
        again.transition(to: .runningAlgorithm, at: now + 1)
        try await store.update(again)
        let h2 = try await EngineHarness.make(dataDirectory: dir)
        let ended = try #require(try await h2.engine.job(id: again.jobId))
        #expect(ended.status == 41 && ended.terminationReason == "nodeRestarted")
        #expect(try await store.jobPaid(by: second) == nil)
        await h2.shutdown()
    }
}

@Suite("Leftovers of a crashed node", .serialized)
struct LeftoverTests {
    /// A node killed with -9 may leave a job's cgroup with processes in it; the next
    /// start empties and removes it. Needs cgroups (root on a cgroup host, as in CI).
    @Test func aRestartKillsWhatACrashedJobLeftInItsCgroup() async throws {
        guard let factory = ResourceGroups.detect() else {
            Issue.record("this host offers no writable cgroups; run the engine tests as root on a cgroup host")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir.appendingPathComponent(SQLiteStore.fileName).path)
        var crashed = JobRecord(jobId: JobID.make(), specification: EngineHarness.shell("sleep 100"), now: Date().timeIntervalSince1970)
        try await store.insert(crashed)
        crashed.transition(to: .runningAlgorithm, at: Date().timeIntervalSince1970)
        try await store.update(crashed)

        let group = try factory.makeGroup(jobId: crashed.jobId, limits: JobLimits(
            memoryBytes: 64 << 20, maxProcesses: 8, cpus: 1, diskBytes: 1 << 20, wallTimeSeconds: 100, algorithmLogBytes: 1024))
        let orphan = Process()
        orphan.executableURL = URL(fileURLWithPath: "/bin/sh")
        let procs = group.procsFiles.map { "echo $$ > \($0)" }.joined(separator: "; ")
        orphan.arguments = ["-c", "\(procs); exec sleep 100"]
        try orphan.run()
        #expect(try await eventually(within: 10) { !CgroupFiles.pids(in: group.procsFiles[0]).isEmpty })

        // No retry: the job ends, so what is checked is only the leftover's fate.
        let h = try await EngineHarness.make(engineConfiguration: { $0.interruptedJobRetries = 0 }, dataDirectory: dir)
        #expect(try await eventually(within: 10) { !orphan.isRunning })
        #expect(orphan.terminationReason == .uncaughtSignal)
        #expect(try await h.engine.job(id: crashed.jobId)?.status == 41)
        await h.shutdown()
    }
}
