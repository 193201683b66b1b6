import Foundation
import SluiceCore
import SluiceStore
import Testing
@testable import SluiceEngine

@Suite("Restart after a crash", .serialized)
struct RecoveryTests {
    /// The store as a node killed with -9 leaves it: one job mid-run (status 40, with a
    /// partial log in its workspace), one waiting in the queue.
    @Test func queuedJobsRunAndInterruptedJobsEndWithAnError() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir.appendingPathComponent(SQLiteStore.fileName).path)
        let now = Date().timeIntervalSince1970

        var interrupted = JobRecord(jobId: JobID.make(), specification: EngineHarness.shell("sleep 100"), now: now - 10)
        try await store.insert(interrupted)
        for (offset, status) in [JobStatusCode.jobStarted, .configuringVolumes, .provisioningSuccess, .runningAlgorithm].enumerated() {
            interrupted.transition(to: status, at: now - 9 + Double(offset))
            try await store.update(interrupted)
        }
        let workspace = Workspace(root: dir.appendingPathComponent("jobs").appendingPathComponent(interrupted.jobId))
        try workspace.create(sandboxUser: .current)
        try Data("was running\n".utf8).write(to: workspace.algorithmLog)

        let queued = JobRecord(jobId: JobID.make(), specification: EngineHarness.shell("echo resumed > /data/outputs/r.txt"), now: now - 5)
        try await store.insert(queued)

        let h = try await EngineHarness.make(dataDirectory: dir)
        do {
            let ended = try #require(try await h.engine.job(id: interrupted.jobId))
            #expect(ended.status == 41)
            #expect(ended.error?.contains("node restarted") == true)
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
        let first = try await EngineHarness.make(configure: { $0.maxJobs = 1 }, dataDirectory: dir)
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

        let h = try await EngineHarness.make(dataDirectory: dir)
        #expect(try await eventually(within: 10) { !orphan.isRunning })
        #expect(orphan.terminationReason == .uncaughtSignal)
        #expect(try await h.engine.job(id: crashed.jobId)?.status == 41)
        await h.shutdown()
    }
}
