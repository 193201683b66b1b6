import Foundation
import Logging
import SluiceCore
import SluiceEngine
import SluiceStore

/// Submit-to-terminal time of a no-op job through the whole engine with the Docker-API
/// backend (image check, create, start, wait, logs, remove), on the engine at
/// SLUICE_PODMAN_SOCKET with the image SLUICE_PODMAN_IMAGE (scripts/podman-test-env.sh).
/// Target (issue 7): p50 <= 1 s.
func runDockerEngineBenchmark(jobs: Int = 40) async {
    guard let socket = ProcessInfo.processInfo.environment["SLUICE_PODMAN_SOCKET"], !socket.isEmpty else {
        print("docker-API engine: skipped (SLUICE_PODMAN_SOCKET is not set; see scripts/podman-test-env.sh)")
        return
    }
    let image = ProcessInfo.processInfo.environment["SLUICE_PODMAN_IMAGE"] ?? "localhost/sluice-test-python:bookworm"
    guard let colon = image.lastIndex(of: ":") else {
        print("docker-API engine: SLUICE_PODMAN_IMAGE must be name:tag")
        return
    }
    do {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("input.csv")
        try Data("x\n1\n".utf8).write(to: input)

        let environment = ComputeEnvironment(id: "bench-docker", maxJobs: 1, maxQueuedJobs: 10, backend: .docker(DockerSettings(
                                                 endpoints: [DockerEndpointAddress(socket)].compactMap { $0 }, allowedImages: [image])))
        var logger = Logger(label: "sluice.bench")
        logger.logLevel = .warning
        let store = try SQLiteStore(path: dir.appendingPathComponent(SQLiteStore.fileName).path)
        // The engine picks the backend from the environment's config.
        let engine = ComputeEngine(configuration: EngineConfiguration(dataDirectory: dir.path), environments: [environment],
                                   store: store, logger: logger)
        try await engine.start()
        let spec = JobSpecification(
            owner: "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", environment: environment.id,
            inputs: [JobInput(did: "did:op:bench", files: [.path(input.path)])],
            algorithm: JobAlgorithm(code: .raw(""), container: ContainerSection(
                entrypoint: "true", image: String(image[..<colon]), tag: String(image[image.index(after: colon)...]))))

        for _ in 0..<3 { _ = try await timeNoOpJob(engine, spec) }
        var latencies: [Double] = []
        for _ in 0..<jobs { latencies.append(try await timeNoOpJob(engine, spec)) }
        latencies.sort()
        let p50 = latencies[latencies.count / 2] * 1000
        let p99 = latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))] * 1000
        print(String(format: "docker-API engine (podman) no-op job submit-to-terminal over %d jobs: p50 %.0f ms, p99 %.0f ms (target p50 1000 ms)",
                     jobs, p50, p99))
        await engine.shutdown()
    } catch {
        print("docker-API engine benchmark failed: \(error)")
    }
}
