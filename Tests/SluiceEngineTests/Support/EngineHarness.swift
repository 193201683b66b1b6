import Foundation
import Logging
import SluiceCore
@testable import SluiceEngine
import SluiceStore
import SluiceTesting

/// A fresh engine on a temporary data directory with a real backend: bubblewrap, or
/// the Docker-API backend on the podman engine of `scripts/podman-test-env.sh`.
struct EngineHarness {
    static let owner = "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1"
    static let datasetDID = "did:op:0c1ab9f4b5e2d6b6c4a3e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9"

    /// The test file servers listen on loopback, which the node refuses by default;
    /// egress tests set `EgressPolicy.standard` back.
    static let loopbackAllowed = EgressPolicy(allowNetworks: ["127.0.0.0/8", "::1/128"].compactMap(IPNetwork.init))

    let dataDirectory: URL
    let store: SQLiteStore
    let engine: ComputeEngine
    let environment: ComputeEnvironment
    let testBackend: TestBackend

    /// `configure` adjusts the default test environment (1 CPU, 256 MiB, 64 MiB disk, 60 s: wide, because a 2-core machine running every suite at once can hold a short job off the CPU for many seconds).
    static func make(configure: (inout ComputeEnvironment) -> Void = { _ in },
                     engineConfiguration: (inout EngineConfiguration) -> Void = { _ in },
                     dataDirectory existing: URL? = nil,
                     backend: BubblewrapBackend? = nil,
                     on testBackend: TestBackend = .bubblewrap) async throws -> EngineHarness {
        let dir = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("sluice-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var environment = ComputeEnvironment(id: "test-env", nCPU: 1, ramGB: 0.25, diskGB: 0.0625, maxJobs: 2,
                                             maxJobDuration: 60, maxProcesses: 64, storageExpiry: 3600)
        switch testBackend {
        case .bubblewrap:
            environment.runtimes = try TestRuntimes.all()
        case .podman:
            let socket = try PodmanTestEnvironment.requireSocket()
            environment.backend = .docker(DockerSettings(endpoints: [DockerEndpointAddress(socket)].compactMap { $0 },
                                                         allowedImages: [PodmanTestEnvironment.image]))
        case .slurm:
            environment.runtimes = try TestRuntimes.all()
            environment.backend = .slurm(try SlurmTestEnvironment.settings())
        }
        configure(&environment)
        var configuration = EngineConfiguration(dataDirectory: dir.path, fetchTimeoutSeconds: 5,
                                                egress: Self.loopbackAllowed)
        engineConfiguration(&configuration)
        let store = try SQLiteStore(path: dir.appendingPathComponent(SQLiteStore.fileName).path)
        var logger = Logger(label: "sluice.engine.test")
        logger.logLevel = .warning
        let backends: [any SandboxBackend] = switch testBackend {
        case .bubblewrap: [backend ?? BubblewrapBackend(logger: logger)]
        case .podman: [DockerAPIBackend(environments: [environment], nodeMarker: ComputeEngine.nodeMarker(configuration), logger: logger)]
        case .slurm: [SlurmBackend(environments: [environment], logger: logger)]
        }
        let engine = ComputeEngine(configuration: configuration, environments: [environment], store: store,
                                   backends: backends, logger: logger)
        try await engine.start()
        return EngineHarness(dataDirectory: dir, store: store, engine: engine, environment: environment, testBackend: testBackend)
    }

    /// Runs `body` with a fresh harness and always shuts it down afterwards, so no job
    /// outlives its test.
    static func with(on testBackend: TestBackend = .bubblewrap,
                     configure: (inout ComputeEnvironment) -> Void = { _ in },
                     engineConfiguration: (inout EngineConfiguration) -> Void = { _ in },
                     _ body: (EngineHarness) async throws -> Void) async throws {
        let h = try await make(configure: configure, engineConfiguration: engineConfiguration, on: testBackend)
        do {
            try await body(h)
        } catch {
            await h.shutdown()
            throw error
        }
        await h.shutdown()
    }

    func shutdown() async {
        await engine.shutdown()
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    static func python(_ code: String, inputs: [JobInput]? = nil, customData: JSONValue? = nil) -> JobSpecification {
        spec(.raw(code), entrypoint: "python3 $ALGO", image: "python", tag: "3.11", inputs: inputs, customData: customData)
    }

    static func shell(_ script: String, inputs: [JobInput]? = nil) -> JobSpecification {
        spec(.raw(script), entrypoint: "sh $ALGO", image: "shell", tag: "1", inputs: inputs)
    }

    static func spec(_ code: JobAlgorithm.Code, entrypoint: String, image: String, tag: String,
                     inputs: [JobInput]? = nil, customData: JSONValue? = nil) -> JobSpecification {
        JobSpecification(
            owner: owner, environment: "test-env", agreementId: "0xabc",
            inputs: inputs ?? [JobInput(did: datasetDID, files: [.path(Fixtures.smallInput())], ddo: .object(["id": .string(datasetDID)]))],
            algorithm: JobAlgorithm(code: code, container: ContainerSection(entrypoint: entrypoint, image: image, tag: tag)),
            algoCustomData: customData)
    }

    // Specs for this harness's backend: bubblewrap's runtimes, or podman's test image.

    func python(_ code: String, inputs: [JobInput]? = nil, customData: JSONValue? = nil) -> JobSpecification {
        switch testBackend {
        case .bubblewrap, .slurm: return Self.python(code, inputs: inputs, customData: customData)
        case .podman: return spec(.raw(code), entrypoint: "python3 $ALGO", inputs: inputs, customData: customData)
        }
    }

    func shell(_ script: String, inputs: [JobInput]? = nil) -> JobSpecification {
        switch testBackend {
        case .bubblewrap, .slurm: return Self.shell(script, inputs: inputs)
        case .podman: return spec(.raw(script), entrypoint: "sh $ALGO", inputs: inputs)
        }
    }

    /// A spec running `entrypoint` in the image that has python3.
    func spec(_ code: JobAlgorithm.Code, entrypoint: String, inputs: [JobInput]? = nil, customData: JSONValue? = nil) -> JobSpecification {
        switch testBackend {
        case .bubblewrap, .slurm:
            return Self.spec(code, entrypoint: entrypoint, image: "python", tag: "3.11", inputs: inputs, customData: customData)
        case .podman:
            let (name, tag) = PodmanTestEnvironment.imageNameAndTag
            return Self.spec(code, entrypoint: entrypoint, image: name, tag: tag, inputs: inputs, customData: customData)
        }
    }

    /// What the environment says it offers when an image is refused.
    var offeredImages: [String] {
        testBackend == .podman ? environment.backend.docker?.allowedImages ?? [] : environment.runtimes.keys.sorted()
    }

    /// Submits and waits for the terminal state.
    func run(_ spec: JobSpecification) async throws -> JobStatus {
        let submitted = try await engine.submit(spec)
        guard let done = try await engine.waitUntilFinished(id: submitted.jobId) else {
            throw HarnessError.jobVanished
        }
        return done
    }

    func workspace(_ jobId: String) -> Workspace {
        Workspace(root: dataDirectory.appendingPathComponent("jobs").appendingPathComponent(jobId))
    }

    func algorithmLog(_ jobId: String) -> String {
        (try? String(contentsOf: workspace(jobId).algorithmLog, encoding: .utf8)) ?? ""
    }

    func configureLog(_ jobId: String) -> String {
        (try? String(contentsOf: workspace(jobId).configureLog, encoding: .utf8)) ?? ""
    }

    func output(_ jobId: String, _ name: String) -> String? {
        try? String(contentsOf: workspace(jobId).outputs.appendingPathComponent(name), encoding: .utf8)
    }
}

enum HarnessError: Error { case jobVanished, timeout }

enum Fixtures {
    /// A small CSV on the node, used as a local-path input.
    static func smallInput() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-test-input.csv").path
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: Data("x,y\n1,2\n3,4\n".utf8))
        }
        return path
    }

    static func file(bytes: Int) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-test-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 65, count: bytes))
        return path
    }
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass.
func eventually(within seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
