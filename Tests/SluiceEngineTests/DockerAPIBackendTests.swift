import Foundation
import SluiceCore
@testable import SluiceEngine
import SluiceStore
import SluiceTesting
import Testing

/// What only the Docker-API backend does, on the podman engine of
/// `scripts/podman-test-env.sh`: digests, image policy, container clean-up.
@Suite("Docker-API backend on podman", .serialized, .enabled(if: PodmanTestEnvironment.isConfigured, PodmanTestEnvironment.disabledReason))
struct DockerAPIBackendTests {
    var client: DockerClient {
        get throws { DockerClient(endpoint: .unix(path: try PodmanTestEnvironment.requireSocket())) }
    }

    func imageDigests() async throws -> (id: String, repoDigest: String?) {
        let image = try #require(try await client.inspectImage(PodmanTestEnvironment.image))
        let repo = image.RepoDigests?.first.flatMap { $0.split(separator: "@").last.map(String.init) }
        return (image.Id, repo)
    }

    func containers(of h: EngineHarness) async throws -> [ContainerSummary] {
        try await client.listContainers(label: ContainerSpec.nodeLabel, value: ComputeEngine.nodeMarker(
            EngineConfiguration(dataDirectory: h.dataDirectory.path)))
    }

    @Test func theSocketAnswers() async throws {
        try await client.ping()
    }

    /// No backends handed in: the engine builds them from the config, and each
    /// environment's jobs run in the backend it names.
    @Test func theEnginePicksTheBackendPerEnvironmentFromTheConfig() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let containers = ComputeEnvironment(id: "containers", ramGB: 0.25, maxJobDuration: 30, backend: .docker(DockerSettings(
                                                endpoints: [DockerEndpointAddress("unix://" + (try PodmanTestEnvironment.requireSocket()))].compactMap { $0 },
                                                allowedImages: [PodmanTestEnvironment.image])))
        let sandboxes = ComputeEnvironment(id: "sandboxes", ramGB: 0.25, maxJobDuration: 30, runtimes: ["shell:1": try TestRuntimes.shell()])
        let store = try SQLiteStore(path: dir.appendingPathComponent(SQLiteStore.fileName).path)
        let engine = ComputeEngine(configuration: EngineConfiguration(dataDirectory: dir.path), environments: [containers, sandboxes], store: store)
        try await engine.start()
        let (name, tag) = PodmanTestEnvironment.imageNameAndTag
        var inContainer = EngineHarness.spec(.raw("echo hi"), entrypoint: "sh $ALGO", image: name, tag: tag)
        inContainer.environment = "containers"
        var inSandbox = EngineHarness.shell("echo hi")
        inSandbox.environment = "sandboxes"
        for (spec, expected) in [(inContainer, "sandbox: container of"), (inSandbox, "sandbox: bubblewrap")] {
            let job = try await engine.submit(spec)
            let done = try #require(try await engine.waitUntilFinished(id: job.jobId))
            #expect(done.status == 70, "\(done.error ?? "")")
            let log = (try? String(contentsOf: dir.appendingPathComponent("jobs/\(job.jobId)/logs/configure.log"), encoding: .utf8)) ?? ""
            #expect(log.contains(expected), "\(log)")
        }
        await engine.shutdown()
    }

    @Test func aChecksumThatIsTheImagesDigestRunsPinnedToIt() async throws {
        let (id, repoDigest) = try await imageDigests()
        try await EngineHarness.with(on: .podman) { h in
            for checksum in [id] + (repoDigest.map { [$0] } ?? []) {
                var spec = h.shell("echo pinned > /data/outputs/p.txt")
                spec.algorithm.container.checksum = checksum
                let status = try await h.run(spec)
                #expect(status.status == 70, "\(checksum): \(status.error ?? "")")
                #expect(h.configureLog(status.jobId).contains("is \(id)"))
            }
        }
    }

    @Test func aChecksumMismatchIsRefusedWithStatus32() async throws {
        let (id, _) = try await imageDigests()
        try await EngineHarness.with(on: .podman) { h in
            var spec = h.shell("echo ran > /data/outputs/ran.txt")
            spec.algorithm.container.checksum = "sha256:" + String(repeating: "ab", count: 32)
            let status = try await h.run(spec)
            #expect(status.status == 32)
            #expect(status.terminationReason == "algorithmProvisioningFailed")
            let error = try #require(status.error)
            #expect(error.contains("does not match its checksum") && error.contains(id), "\(error)")
            #expect(h.output(status.jobId, "ran.txt") == nil)

            spec.algorithm.container.checksum = "md5:1234"
            let malformed = try await h.run(spec)
            #expect(malformed.status == 32)
            #expect(malformed.error?.contains("sha256:") == true)
        }
    }

    @Test func aMissingImageIsNotPulledUnlessTheEnvironmentAllowsIt() async throws {
        try await EngineHarness.with(on: .podman, configure: { $0.backend.addAllowedImage("localhost/sluice-absent:1") }) { h in
            let status = try await h.run(EngineHarness.spec(.raw("true"), entrypoint: "sh $ALGO", image: "localhost/sluice-absent", tag: "1"))
            #expect(status.status == 32)
            #expect(status.error?.contains("does not pull images") == true, "\(status.error ?? "")")
        }
    }

    @Test func containersAreRemovedAfterTheirJobAndAfterAStop() async throws {
        try await EngineHarness.with(on: .podman) { h in
            let done = try await h.run(h.shell("echo done"))
            #expect(done.status == 70)
            #expect(try await containers(of: h).isEmpty)

            let running = try await h.engine.submit(h.shell("echo up; sleep 60"))
            #expect(try await eventually(within: 30) { try await !containers(of: h).isEmpty })
            let stopped = try #require(try await h.engine.stop(id: running.jobId))
            #expect(stopped.status == 7)
            #expect(try await containers(of: h).isEmpty)
        }
    }

    /// A node killed with -9 leaves its containers; the next start removes those with
    /// its marker and leaves other nodes' alone.
    @Test func aRestartRemovesThisNodesLeftoverContainersOnly() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-engine-\(UUID().uuidString)")
        let marker = ComputeEngine.nodeMarker(EngineConfiguration(dataDirectory: dir.path))
        let client = try self.client
        let image = try #require(try await client.inspectImage(PodmanTestEnvironment.image))
        func leftover(_ node: String, job: String = JobID.make()) async throws -> String {
            let body = ContainerCreateBody(
                Image: image.Id, Cmd: ["60"], Entrypoint: ["sleep"], Env: [], User: "65534:65534", WorkingDir: "/",
                Labels: [ContainerSpec.jobLabel: job, ContainerSpec.nodeLabel: node],
                HostConfig: .init(Tmpfs: [:], Binds: [], Memory: 64 << 20, MemorySwap: 64 << 20, NanoCpus: 500_000_000,
                                  PidsLimit: 8, Ulimits: ContainerSpec.ulimits(JobLimits(memoryBytes: 64 << 20, maxProcesses: 8, cpus: 1, diskBytes: 1 << 20, wallTimeSeconds: 60, algorithmLogBytes: 4096), maxJobs: 1)))
            let id = try await client.createContainer(name: "sluice-test-\(UUID().uuidString)", body)
            try await client.startContainer(id)
            return id
        }
        let ours = try await leftover(marker)
        let others = try await leftover(marker + "-another-node")
        defer { Task { try? await client.removeContainer(others) } }
        // A replica of this node on another host holds a job whose container runs on this
        // engine (replicas share the marker): it is not a leftover.
        let heldJob = JobID.make()
        let replicas = try await leftover(marker, job: heldJob)
        defer { Task { try? await client.removeContainer(replicas) } }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        do {
            let store = try SQLiteStore(path: dir.appendingPathComponent(SQLiteStore.fileName).path)
            let spec = JobSpecification(
                owner: EngineHarness.owner, environment: "test-env",
                inputs: [JobInput(did: EngineHarness.datasetDID, files: [.url("https://example.com/data.csv")])],
                algorithm: JobAlgorithm(code: .raw("print(1)"), container: ContainerSection(entrypoint: "python $ALGO", image: "python", tag: "3.11")))
            try await store.insert(JobRecord(jobId: heldJob, specification: spec, now: ComputeEngine.now()))
            let claimed = try await store.claimNext(environment: "test-env", slots: 1,
                                                    for: JobHold(replica: "another-host:4242", until: ComputeEngine.now() + 600))
            #expect(claimed?.jobId == heldJob)
        }
        let h = try await EngineHarness.make(dataDirectory: dir, on: .podman)
        await h.shutdown()
        let remaining = Set(try await client.listContainers(label: ContainerSpec.nodeLabel, value: marker).map(\.Id))
        #expect(!remaining.contains(ours))
        #expect(remaining.contains(replicas), "the container of a job another live replica holds is left to it")
        #expect(try await client.listContainers(label: ContainerSpec.nodeLabel, value: marker + "-another-node").map(\.Id) == [others])
        try await client.removeContainer(others)
    }
}
