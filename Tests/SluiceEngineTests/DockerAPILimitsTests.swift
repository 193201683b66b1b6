import Foundation
import SluiceCore
import SluiceTesting
import Testing
@testable import SluiceEngine

/// The Docker-API backend's own limits on podman (issue 13, point 5): output bounded on
/// the host and in time, no user namespaces, a deadline kept without the node.
@Suite("Docker-API backend limits on podman", .serialized, .enabled(if: PodmanTestEnvironment.isConfigured, PodmanTestEnvironment.disabledReason))
struct DockerAPILimitsTests {
    var client: DockerClient {
        get throws { DockerClient(endpoint: .unix(path: try PodmanTestEnvironment.requireSocket())) }
    }

    /// Bytes under podman's directory for one container (where its `ctr.log` would grow).
    static func storageBytes(of containerId: String) -> Int64 {
        ResultsListing.usage(of: "/var/lib/containers/storage/overlay-containers/\(containerId)/userdata")
    }

    @Test func aStdoutFloodIsCappedOnTheHostAndEndsAtTheTimeLimit() async throws {
        let cap: Int64 = 1 << 20
        try await EngineHarness.with(on: .podman, configure: { $0.maxJobDuration = 4; $0.diskGB = 0.05 },
                                     engineConfiguration: { $0.algorithmLogCap = cap }) { h in
            let started = Date()
            let job = try await h.engine.submit(h.python("""
                import sys
                line = b"y" * 4095 + b"\\n"
                while True:
                    sys.stdout.buffer.write(line)
                """))
            let marker = ComputeEngine.nodeMarker(EngineConfiguration(dataDirectory: h.dataDirectory.path))
            var largest: Int64 = 0
            var sampled = false
            while try await h.engine.job(id: job.jobId)?.dateFinished == nil, Date().timeIntervalSince(started) < 60 {
                for container in try await client.listContainers(label: ContainerSpec.nodeLabel, value: marker) {
                    largest = max(largest, Self.storageBytes(of: container.Id))
                    sampled = true
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            let status = try #require(try await h.engine.waitUntilFinished(id: job.jobId))
            // From the algorithm's start to the job's end: provisioning on a loaded machine is not
            // the limit's business. The margin is wide for a noisy 2-core machine; the flaw this
            // guards against overran by a minute.
            let running = try await h.engine.transitions(of: job.jobId).first { $0.status == .runningAlgorithm }?.at
            let ran = (status.dateFinished.flatMap(Double.init) ?? 0) - (running ?? 0)
            #expect(status.status == 41 && status.terminationReason == "timeout", "\(status)")
            #expect(running != nil && ran < 4 + 45, "ran \(ran) s")
            #expect(sampled)
            #expect(largest < cap + (1 << 20), "podman's directory for the container held \(largest) bytes")
            let log = try Data(contentsOf: h.workspace(status.jobId).algorithmLog)
            #expect(Int64(log.count) <= cap + Int64(CappedLog.marker(cap: cap).utf8.count))
            #expect(String(decoding: log.suffix(200), as: UTF8.self).contains("algorithm.log was cut at \(cap) bytes"))
        }
    }

    @Test func userNamespacesAreRefusedInsideTheContainerAndThreadsStillWork() async throws {
        try await EngineHarness.with(on: .podman) { h in
            let status = try await h.run(h.python("""
                import ctypes, subprocess, threading
                libc = ctypes.CDLL(None, use_errno=True)
                print("unshare:", libc.unshare(0x10000000), ctypes.get_errno())
                r = subprocess.run(["unshare", "-r", "true"], capture_output=True)
                print("unshare -r:", r.returncode)
                t = threading.Thread(target=lambda: print("thread ran"))
                t.start(); t.join()
                """))
            let log = h.algorithmLog(status.jobId)
            #expect(status.status == 70, "\(status) \(log)")
            #expect(log.contains("unshare: -1 1"), "\(log)")
            #expect(log.contains("unshare -r: 1"), "\(log)")
            #expect(log.contains("thread ran"), "\(log)")
            #expect(h.configureLog(status.jobId).contains("no user namespaces"))
        }
    }

    /// A container that ignores SIGTERM and outlives its own shell, as an orphan of a dead
    /// node would be left: only a deadline outside it ends it.
    static func orphanBody(image: String, wallTime: Int) -> ContainerCreateBody {
        let limits = JobLimits(memoryBytes: 64 << 20, maxProcesses: 8, cpus: 1, diskBytes: 1 << 20,
                               wallTimeSeconds: wallTime, algorithmLogBytes: 4096)
        return ContainerCreateBody(
            Image: image, Cmd: ["-c", "trap '' TERM; (setsid sleep 120 &); sleep 120"], Entrypoint: ["sh"], Env: [],
            User: "65534:65534", WorkingDir: "/",
            Labels: [ContainerSpec.jobLabel: JobID.make(), ContainerSpec.nodeLabel: "orphan-\(UUID().uuidString)"],
            HostConfig: .init(Tmpfs: [:], Binds: [], Memory: 64 << 20, MemorySwap: 64 << 20, NanoCpus: 500_000_000,
                              PidsLimit: 8, Ulimits: ContainerSpec.ulimits(limits, maxJobs: 1)))
    }

    /// The node "dies" right after starting the container: nothing of it waits, kills or
    /// removes. The container's own deadline still ends it.
    @Test func aContainerWhoseNodeDiedStopsOnItsOwnDeadline() async throws {
        let client = try self.client
        let image = try #require(try await client.inspectImage(PodmanTestEnvironment.image))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-orphan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let wallTime = 3
        let body = ContainerSpec.withEngineLimits(
            Self.orphanBody(image: image.Id, wallTime: wallTime),
            seccompOption: try SeccompProfile.securityOption(engineIsPodman: true,
                                                             profilePath: SeccompProfile.write(into: Workspace(root: dir))),
            wallTimeSeconds: wallTime)
        let id = try await client.createContainer(name: "sluice-orphan-\(UUID().uuidString)", body)
        defer { Task { try? await client.removeContainer(id) } }
        try await client.startContainer(id)
        #expect(try await client.inspectContainer(id).State?.Running == true)
        let stopped = try await eventually(within: Double(wallTime + 10)) {
            try await client.inspectContainer(id).State?.Running == false
        }
        #expect(stopped, "the container outlived its deadline of \(wallTime) s + \(ContainerSpec.engineDeadlineGrace) s")
        #expect(try await client.inspectContainer(id).State?.ExitCode == 137)
        try await client.removeContainer(id)
    }

    /// The same orphan created through podman's own API: conmon's `timeout` ends it, with
    /// nothing in the container keeping time (no `timeout` program in its command).
    @Test func aLibpodContainerWhoseNodeDiedStopsOnTheEnginesDeadline() async throws {
        let client = try self.client
        #expect(try await client.version().hasLibpodTimeout)
        let image = try #require(try await client.inspectImage(PodmanTestEnvironment.image))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-orphan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let wallTime = 3
        let body = Self.orphanBody(image: image.Id, wallTime: wallTime)
        let libpod = LibpodCreateBody(compatible: body, name: "sluice-orphan-\(UUID().uuidString)",
                                      seccompProfilePath: try SeccompProfile.write(into: Workspace(root: dir)),
                                      timeoutSeconds: ContainerSpec.engineDeadline(wallTimeSeconds: wallTime))
        let id = try await client.createLibpodContainer(libpod)
        defer { Task { try? await client.removeContainer(id) } }
        try await client.startContainer(id)
        #expect(try await client.inspectContainer(id).State?.Running == true)
        let stopped = try await eventually(within: Double(wallTime + 10)) {
            try await client.inspectContainer(id).State?.Running == false
        }
        #expect(stopped, "the container outlived its deadline of \(wallTime) s + \(ContainerSpec.engineDeadlineGrace) s")
        try await client.removeContainer(id)
    }

    /// On podman the engine keeps the deadline, so an image without `timeout` runs.
    @Test func anImageWithoutTimeoutRunsOnPodman() async throws {
        let image = try await PodmanTestEnvironment.imageWithoutTimeout()
        let (name, tag) = PodmanTestEnvironment.nameAndTag(of: image)
        try await EngineHarness.with(on: .podman, configure: { $0.backend.addAllowedImage(image) }) { h in
            let status = try await h.run(EngineHarness.spec(.raw("command -v timeout || echo no timeout here; echo ran > /data/outputs/ran.txt"),
                                                entrypoint: "sh $ALGO", image: name, tag: tag))
            let log = h.algorithmLog(status.jobId)
            #expect(status.status == 70, "\(status) \(log)")
            #expect(log.contains("no timeout here"), "\(log)")
            #expect(h.output(status.jobId, "ran.txt") == "ran\n")
            #expect(h.configureLog(status.jobId).contains("kept by the engine"), "\(h.configureLog(status.jobId))")
        }
    }
}
