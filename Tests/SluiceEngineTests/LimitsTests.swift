import Foundation
import Logging
import SluiceCore
@testable import SluiceEngine
import Testing

/// The cgroup writers against fake cgroup trees (the control files the kernel would
/// create are pre-created), so the v2 path is checked even on this v1 machine.
@Suite("cgroup limits")
struct LimitsTests {
    let limits = JobLimits(memoryBytes: 256 << 20, maxProcesses: 32, cpus: 1.5, diskBytes: 1 << 30,
                           wallTimeSeconds: 60, algorithmLogBytes: 1 << 20)

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-cgroup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func touch(_ dir: URL, _ names: [String], contents: String = "") throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in names { try Data(contents.utf8).write(to: dir.appendingPathComponent(name)) }
    }

    func read(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    @Test func cgroupV2DelegatesControllersAndWritesLimits() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let base = root.appendingPathComponent("system.slice/sluice.service")
        try touch(root, ["cgroup.controllers"], contents: "cpuset cpu io memory pids")
        try touch(base, ["cgroup.controllers"], contents: "cpu io memory pids")
        try touch(base, ["cgroup.subtree_control", "cgroup.procs"])
        try touch(base.appendingPathComponent("sluice-jobs"), ["cgroup.subtree_control"])
        let factory = try #require(CgroupV2Factory(mountRoot: root.path, ownPath: "/system.slice/sluice.service"))
        #expect(factory.parent == base.appendingPathComponent("sluice-jobs").path)
        #expect(read(base.appendingPathComponent("cgroup.subtree_control")) == "+memory +pids +cpu")
        #expect(read(base.appendingPathComponent("sluice-jobs/cgroup.subtree_control")) == "+memory +pids +cpu")

        let job = base.appendingPathComponent("sluice-jobs/job1")
        try touch(job, ["memory.max", "memory.swap.max", "pids.max", "cpu.max", "cgroup.procs"])
        let inForce = try CgroupV2Group.apply(limits, to: job.path)
        #expect(read(job.appendingPathComponent("memory.max")) == String(256 << 20))
        #expect(read(job.appendingPathComponent("memory.swap.max")) == "0")
        #expect(read(job.appendingPathComponent("pids.max")) == "34")
        #expect(read(job.appendingPathComponent("cpu.max")) == "150000 100000")
        #expect(inForce.count == 3 && inForce.allSatisfy { $0.contains("cgroup v2") })

        let group = CgroupV2Group(directory: job.path, limitsInForce: inForce)
        try touch(job, ["memory.events"], contents: "low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\n")
        #expect(group.outOfMemoryKills() == 1)
    }

    @Test func cgroupV2IsNotUsedWithoutItsControllers() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try touch(root, ["cgroup.controllers"], contents: "cpu io")
        #expect(CgroupV2Factory(mountRoot: root.path, ownPath: "/") == nil)
        #expect(CgroupV2Factory(mountRoot: root.appendingPathComponent("absent").path, ownPath: "/") == nil)
    }

    @Test func cgroupV1WritesMemoryWithoutSwapPidsAndCPU() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let memory = root.appendingPathComponent("memory/job"), pids = root.appendingPathComponent("pids/job"),
            cpu = root.appendingPathComponent("cpu/job")
        try touch(memory, ["memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "cgroup.procs"])
        try touch(memory, ["memory.oom_control"], contents: "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")
        try touch(pids, ["pids.max", "cgroup.procs"])
        try touch(cpu, ["cpu.cfs_period_us", "cpu.cfs_quota_us", "cgroup.procs"])
        let directories = ["memory": memory.path, "pids": pids.path, "cpu": cpu.path]
        let group = CgroupV1Group(directories: directories, limitsInForce: try CgroupV1Group.apply(limits, to: directories))
        #expect(read(memory.appendingPathComponent("memory.limit_in_bytes")) == String(256 << 20))
        #expect(read(memory.appendingPathComponent("memory.memsw.limit_in_bytes")) == String(256 << 20))
        #expect(read(pids.appendingPathComponent("pids.max")) == "34")
        #expect(read(cpu.appendingPathComponent("cpu.cfs_quota_us")) == "150000")
        #expect(read(cpu.appendingPathComponent("cpu.cfs_period_us")) == "100000")
        #expect(group.outOfMemoryKills() == 2)
        #expect(group.procsFiles.count == 3)
        #expect(group.limitsInForce.contains { $0.contains("no swap") })
    }
}

@Suite("Entrypoints and workspace names")
struct EntrypointTests {
    @Test func algoIsSubstitutedAndWordsSplit() {
        #expect(Entrypoint.command("python $ALGO") == ["python", "/data/transformations/algorithm"])
        #expect(Entrypoint.command("  node  ${ALGO} --x  ") == ["node", "/data/transformations/algorithm", "--x"])
        #expect(Entrypoint.command("   ").isEmpty)
    }

    @Test func programsAreLookedUpAsTheSandboxWould() throws {
        let runtime = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-rt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: runtime.appendingPathComponent("bin"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: runtime) }
        _ = FileManager.default.createFile(atPath: runtime.appendingPathComponent("bin/tool").path, contents: Data(), attributes: [.posixPermissions: 0o755])
        #expect(Entrypoint.programExists("tool", runtimeDirectory: runtime.path))
        #expect(Entrypoint.programExists("/opt/runtime/bin/tool", runtimeDirectory: runtime.path))
        #expect(Entrypoint.programExists("sh", runtimeDirectory: runtime.path))
        #expect(Entrypoint.programExists("/bin/sh", runtimeDirectory: runtime.path))
        #expect(!Entrypoint.programExists("no-such-tool", runtimeDirectory: runtime.path))
        #expect(!Entrypoint.programExists("/etc/passwd", runtimeDirectory: runtime.path))
        #expect(!Entrypoint.programExists("../bin/sh", runtimeDirectory: runtime.path))
    }

    @Test func didDirectoryNamesCannotEscape() {
        #expect(Workspace.directoryName(of: "did:op:abc123") == "abc123")
        for bad in ["did:op:", "did:op:..", "did:op:../x", "did:op:a/b", "did:op:.hidden", "did:op:algoCustomData.json",
                    "did:op:" + String(repeating: "a", count: 129), "did:op:ä"] {
            #expect(Workspace.directoryName(of: bad) == nil, "\(bad)")
        }
    }
}

@Suite("One uid per running job")
struct SandboxUserPoolTests {
    @Test func noUidIsHandedToTwoJobsAndFreedOnesComeBackLast() throws {
        guard getuid() == 0 else { return }  // only a root node changes users
        var pool = SandboxUserPool(range: 5000...5002)
        let users = (0..<3).compactMap { _ in pool.lease() }
        #expect(Set(users.compactMap(\.uid)) == [5000, 5001, 5002])
        #expect(users.allSatisfy { $0.gid == $0.uid })
        #expect(pool.lease() == nil)
        pool.release(users[1])
        #expect(pool.lease()?.uid == 5001)
        pool.release(users[0])
        pool.release(users[2])
        #expect(pool.lease()?.uid == 5002)
    }

    @Test func aRangeHoldingAnAccountIsFound() {
        #expect(SandboxUserPool.accountInside(0...0) == 0)
        #expect(SandboxUserPool.accountInside(EngineConfiguration.defaultSandboxUIDs) == nil)
    }
}

@Suite("Hosts without cgroups", .serialized)
struct RlimitFallbackTests {
    /// RLIMIT_NPROC counts per uid: with one uid per job, a job that forks to its limit
    /// takes nothing from another.
    @Test func aForkBombInOneJobDoesNotStopAnotherAndTheirUidsDiffer() async throws {
        guard getuid() == 0 else { return }  // only a root node can give each job a uid
        let backend = BubblewrapBackend(logger: Logger(label: "test"), diskCheckInterval: .milliseconds(250), groups: nil)
        // Uids of its own: RLIMIT_NPROC counts every process of a uid on the host, and the
        // other suites' engines, running in parallel, lease from the start of the default range.
        let h = try await EngineHarness.make(configure: { $0.maxJobs = 2; $0.maxProcesses = 24 },
                                             engineConfiguration: { $0.sandboxUIDs = 1_900_060_000...1_900_060_015 },
                                             backend: backend)
        do {
            let bomb = try await h.engine.submit(EngineHarness.python("""
                import os, time
                open("/data/outputs/uid", "w").write(str(os.getuid()))
                children = 0
                try:
                    while children < 500:
                        if os.fork() == 0:
                            time.sleep(8)
                            os._exit(0)
                        children += 1
                except OSError:
                    pass
                open("/data/outputs/forked", "w").write(str(children))
                time.sleep(8)
                """))
            #expect(try await eventually(within: 30) { h.output(bomb.jobId, "forked") != nil }, "\(h.algorithmLog(bomb.jobId))")
            // It stopped at its process limit, and holds it while the other job starts.
            #expect((Int(h.output(bomb.jobId, "forked") ?? "") ?? 500) < 500)
            let other = try await h.run(EngineHarness.shell("id -u > /data/outputs/uid; sh -c 'echo child' > /data/outputs/child"))
            #expect(other.status == 70, "\(h.algorithmLog(other.jobId)) \(h.configureLog(other.jobId))")
            #expect(h.output(other.jobId, "child") == "child\n")
            let uids = [h.output(bomb.jobId, "uid"), h.output(other.jobId, "uid")].compactMap { $0.flatMap { UInt32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }
            #expect(uids.count == 2 && uids[0] != uids[1], "\(uids)")
            #expect(uids.allSatisfy { EngineConfiguration.defaultSandboxUIDs.contains($0) })
            _ = try await h.engine.waitUntilFinished(id: bomb.jobId)
        } catch {
            await h.shutdown()
            throw error
        }
        await h.shutdown()
    }

    @Test func jobsRunUnderRlimitsAndTheConfigureLogSaysSo() async throws {
        let backend = BubblewrapBackend(logger: Logger(label: "test"), diskCheckInterval: .milliseconds(250), groups: nil)
        let h = try await EngineHarness.make(backend: backend)
        do {
            let ok = try await h.run(EngineHarness.shell("echo hello > /data/outputs/hello.txt"))
            #expect(ok.status == 70, "\(h.algorithmLog(ok.jobId))")
            #expect(h.configureLog(ok.jobId).contains("rlimit; cgroups unavailable"))
            #expect(h.configureLog(ok.jobId).contains("cpu: not limited"))
            // Address space is capped at ramGB: a large allocation fails inside the job.
            let hog = try await h.run(EngineHarness.python("x = bytearray(512 * 1024 * 1024)\nprint('allocated')"))
            #expect(hog.status == 41, "\(h.algorithmLog(hog.jobId))")
            #expect(h.algorithmLog(hog.jobId).contains("MemoryError"))
        } catch {
            await h.shutdown()
            throw error
        }
        await h.shutdown()
    }
}
