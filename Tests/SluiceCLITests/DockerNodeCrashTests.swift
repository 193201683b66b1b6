import Foundation
import SluiceClient
import SluiceCore
import SluiceTesting
import Testing

/// Issue 13: a real `sluice serve` on the docker backend (the podman engine of
/// `scripts/podman-test-env.sh`) killed with SIGKILL while its container runs. Nothing
/// of the node is left to kill the container: the engine's own deadline must.
@Suite("A docker-backend node killed with SIGKILL", .serialized,
       .enabled(if: PodmanEngine.socket != nil, "SLUICE_PODMAN_SOCKET is not set: run `eval \"$(scripts/podman-test-env.sh start)\"`"))
struct DockerNodeCrashTests {
    static let maxJobDuration = 10

    @Test func theContainerStopsWithinItsDeadlineWithoutTheNodeAndARestartRemovesIt() async throws {
        let engine = try #require(PodmanEngine.socket.map(PodmanEngine.init))
        let (name, tag) = PodmanEngine.imageNameAndTag
        let imageId = try #require(try await engine.imageId(PodmanEngine.image))
        let first = try await ClientNode.start { config in
            config["jobsDir"] = .string(config.jobsDirectory)
            config["interruptedJobRetries"] = .integer(0)
            config["environments"] = .array([.object([
                "id": .string("docker-free"), "backend": .string("docker"), "ramGB": .number(0.25),
                "maxJobDuration": .integer(Int64(Self.maxJobDuration)),
                "dockerEndpoints": .array([.string(engine.socket)]), "allowedImages": .array([.string(PodmanEngine.image)]),
            ])])
        }
        var stopped = false
        defer { if !stopped { first.stop() } }
        let container = AlgorithmContainer(image: name, tag: tag, entrypoint: "python3 $ALGO", checksum: imageId)
        let assets = try await first.publish(algorithm: "import time\ntime.sleep(300)\n", container: container)
        try await first.fund(assets)
        let env = try await first.client.freeEnvironment()
        let paid = try await first.client.payForCompute(dataset: try ComputeInput(ddo: assets.dataset),
                                                        algorithm: try ComputeInput(ddo: assets.algorithm), environment: env, by: first.bob)
        let job = try await first.client.startCompute(dataset: paid.dataset, algorithm: paid.algorithm, environment: env.id, by: first.bob)
        let running = try await poll(within: 90) { try await engine.containers(ofJob: job.jobId).contains { $0.state == "running" } }
        guard running else {
            // The job's own error says whether the engine refused it or it ended early.
            let status = try? await first.client.status(jobId: job.jobId, by: first.bob)
            Issue.record("no running container for the job: \(status.map { "\($0.status) \($0.error ?? "")" } ?? "no status")\n\(first.process.log.suffix(2000))")
            return
        }

        first.process.kill9()
        let killed = Date()
        let bound = Double(Self.maxJobDuration + 10)
        let ended = try await poll(within: bound) { try await engine.containers(ofJob: job.jobId).allSatisfy { $0.state != "running" } }
        let took = Date().timeIntervalSince(killed)
        #expect(ended, "the container still ran \(Int(bound)) s after its node was killed")
        let left = try await engine.containers(ofJob: job.jobId)
        #expect(!left.isEmpty, "nothing but the node removes the stopped container")

        // The next start finds the container its predecessor left and removes it.
        let node = try await first.restarted()
        stopped = true
        defer { node.stop() }
        let removed = try await poll(within: 60) { try await engine.containers(ofJob: job.jobId).isEmpty }
        #expect(removed)
        let status = try await node.client.wait(jobId: job.jobId, by: node.bob, pollInterval: .milliseconds(250), timeout: .seconds(60))
        #expect(status.status == 41 && status.terminationReason == "nodeRestarted", "\(status)")
        print("the container stopped \(Int(took)) s after its node was killed (maxJobDuration \(Self.maxJobDuration) s)")
    }
}

/// The test engine's API through curl: this target does not link the engine's client.
struct PodmanEngine {
    let socket: String

    static var socket: String? {
        ProcessInfo.processInfo.environment["SLUICE_PODMAN_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var image: String {
        ProcessInfo.processInfo.environment["SLUICE_PODMAN_IMAGE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "localhost/sluice-test-python:bookworm"
    }

    static var imageNameAndTag: (String, String) {
        guard let colon = image.lastIndex(of: ":"), !image[colon...].contains("/") else { return (image, "latest") }
        return (String(image[..<colon]), String(image[image.index(after: colon)...]))
    }

    struct Container: Decodable {
        var Id: String
        var State: String?

        var state: String { State ?? "" }
    }

    struct Image: Decodable {
        var Id: String
    }

    func get(_ path: String) async throws -> Data {
        let outcome = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/curl"),
                                                 ["-sf", "--max-time", "20", "--unix-socket", socket, "http://d/v1.41\(path)"])
        guard outcome.status == 0 else { throw EngineError.failed(path, outcome.status) }
        return Data(outcome.stdout.utf8)
    }

    func imageId(_ reference: String) async throws -> String? {
        try JSONDecoder().decode(Image.self, from: await get("/images/\(reference)/json")).Id
    }

    /// Every container, running or not, labelled with the job.
    func containers(ofJob jobId: String) async throws -> [Container] {
        let filters = #"{"label":["org.sluice.job=\#(jobId)"]}"#
        let query = filters.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try JSONDecoder().decode([Container].self, from: await get("/containers/json?all=true&filters=\(query)"))
    }

    enum EngineError: Error { case failed(String, Int32) }
}
