import Foundation
import Logging
import SluiceCore
import SluiceEngine
import SluiceStore

/// Submit-to-terminal time of a no-op job through the whole engine (store writes,
/// workspace, bubblewrap sandbox with cgroup limits, results), and throughput with
/// maxJobs = 2. Targets (issue 3): p50 <= 30 ms, p99 <= 100 ms, >= 50 jobs/s.
func runEngineBenchmarks(latencyJobs: Int = 200, throughputJobs: Int = 200) async {
    do {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let runtime = dir.appendingPathComponent("runtime")
        try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
        var environment = ComputeEnvironment(id: "bench", maxJobs: 2, maxQueuedJobs: throughputJobs + 10)
        environment.runtimes = ["noop:1": runtime.path]
        let (engine, spec) = try await startBenchEngine(environment, in: dir, backends: [BubblewrapBackend(logger: benchLogger)],
                                                        container: ContainerSection(entrypoint: "true", image: "noop", tag: "1"))

        // Warm up caches (page cache, dyld, SQLite) so the numbers are steady state.
        for _ in 0..<5 { _ = try await timeNoOpJob(engine, spec) }

        var latencies: [Double] = []
        for _ in 0..<latencyJobs { latencies.append(try await timeNoOpJob(engine, spec)) }
        let (p50, p99) = percentiles(latencies)
        print(String(format: "engine no-op job submit-to-terminal over %d jobs: p50 %.1f ms, p99 %.1f ms (targets 30 / 100 ms)",
                     latencyJobs, p50 * 1000, p99 * 1000))

        let (seconds, failed) = try await timeJobsAtOnce(throughputJobs, engine: engine, spec: spec)
        print(String(format: "engine trivial jobs with maxJobs = 2: %.1f jobs/s over %d jobs (target 50)%@",
                     Double(throughputJobs) / seconds, throughputJobs, failed > 0 ? ", \(failed) FAILED" : ""))
        await engine.shutdown()
    } catch {
        print("engine benchmark failed: \(error)")
    }
}

let benchLogger: Logger = {
    var logger = Logger(label: "sluice.bench")
    logger.logLevel = .warning
    return logger
}()

/// A started engine with one environment, on a SQLite store in `dir` (its backend picked
/// from the environment's config unless `backends` are given), and the spec of a no-op
/// job running `container` on it.
func startBenchEngine(_ environment: ComputeEnvironment, in dir: URL, backends: [any SandboxBackend]? = nil,
                      container: ContainerSection) async throws -> (ComputeEngine, JobSpecification) {
    let input = dir.appendingPathComponent("input.csv")
    try Data("x\n1\n".utf8).write(to: input)
    let store = try SQLiteStore(path: dir.appendingPathComponent(SQLiteStore.fileName).path)
    let engine = ComputeEngine(configuration: EngineConfiguration(dataDirectory: dir.path), environments: [environment],
                               store: store, backends: backends, logger: benchLogger)
    try await engine.start()
    let spec = JobSpecification(
        owner: "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", environment: environment.id,
        inputs: [JobInput(did: "did:op:bench", files: [.path(input.path)])],
        algorithm: JobAlgorithm(code: .raw(""), container: container))
    return (engine, spec)
}

/// Seconds from submitting `count` jobs at once to the last one's end, and how many did
/// not end 70.
func timeJobsAtOnce(_ count: Int, engine: ComputeEngine, spec: JobSpecification) async throws -> (Double, Int) {
    let start = Date()
    var ids: [String] = []
    for _ in 0..<count { ids.append(try await engine.submit(spec).jobId) }
    var failed = 0
    for id in ids where try await engine.waitUntilFinished(id: id)?.status != 70 { failed += 1 }
    return (Date().timeIntervalSince(start), failed)
}

/// p50 and p99 of `values`.
func percentiles(_ values: [Double]) -> (Double, Double) {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return (0, 0) }
    return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))])
}

/// Seconds from submit to the job's terminal state; throws unless it finished (70).
func timeNoOpJob(_ engine: ComputeEngine, _ spec: JobSpecification) async throws -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    let job = try await engine.submit(spec)
    let done = try await engine.waitUntilFinished(id: job.jobId)
    guard done?.status == 70 else { throw BenchError.jobFailed(done?.error ?? "unknown") }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

private enum BenchError: Error { case jobFailed(String) }
