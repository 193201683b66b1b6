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
        let environment = ComputeEnvironment(id: "bench-docker", maxJobs: 1, maxQueuedJobs: 10, backend: .docker(DockerSettings(
                                                 endpoints: [DockerEndpointAddress(socket)].compactMap { $0 }, allowedImages: [image])))
        // The engine picks the backend from the environment's config.
        let (engine, spec) = try await startBenchEngine(environment, in: dir, container: ContainerSection(
            entrypoint: "true", image: String(image[..<colon]), tag: String(image[image.index(after: colon)...])))

        for _ in 0..<3 { _ = try await timeNoOpJob(engine, spec) }
        var latencies: [Double] = []
        for _ in 0..<jobs { latencies.append(try await timeNoOpJob(engine, spec)) }
        let (p50, p99) = percentiles(latencies)
        print(String(format: "docker-API engine (podman) no-op job submit-to-terminal over %d jobs: p50 %.0f ms, p99 %.0f ms (target p50 1000 ms)",
                     jobs, p50 * 1000, p99 * 1000))
        await engine.shutdown()
    } catch {
        print("docker-API engine benchmark failed: \(error)")
    }
}
