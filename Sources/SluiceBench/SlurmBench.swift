import Foundation
import Logging
import SluiceCore
import SluiceEngine
import SluiceStore

/// A no-op job through the whole engine on the slurm backend (provisioning, submit, the
/// bubblewrap sandbox on the compute node, results), beside Slurm's own time for
/// `/bin/true` over REST in the same run (`SlurmFloor`), on the cluster of the
/// SLUICE_SLURM_* variables (scripts/slurm-test-env.sh). Target (issue 16): the node adds
/// at most 10% to what Slurm takes.
func runSlurmBenchmark(jobs: Int = 20) async {
    let variables = ProcessInfo.processInfo.environment
    guard let url = variables["SLUICE_SLURM_REST_URL"], let endpoint = SlurmRESTEndpoint(url),
          let tokenFile = variables["SLUICE_SLURM_TOKEN_FILE"], let user = variables["SLUICE_SLURM_USER"] else {
        print("slurm: skipped (SLUICE_SLURM_REST_URL is not set; see scripts/slurm-test-env.sh)")
        return
    }
    let settings = SlurmSettings(restURL: endpoint, tokenFile: tokenFile, user: user,
                                 partition: variables["SLUICE_SLURM_PARTITION"] ?? "debug")
    do {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        chmod(dir.path, 0o755)
        defer { try? FileManager.default.removeItem(at: dir) }
        let runtime = dir.appendingPathComponent("runtime")
        try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
        chmod(runtime.path, 0o755)
        var environment = ComputeEnvironment(id: "bench-slurm", maxJobs: jobs, maxQueuedJobs: 10, backend: .slurm(settings))
        environment.runtimes = ["noop:1": runtime.path]
        let (engine, spec) = try await startBenchEngine(environment, in: dir,
                                                        container: ContainerSection(entrypoint: "true", image: "noop", tag: "1"))

        // Warm up both paths (slurmd's first job is slower), then alternate one of each.
        _ = try await SlurmFloor.sequential(2, settings: settings, directory: dir.path)
        _ = try await timeNoOpJob(engine, spec)
        var floor: [Double] = []
        var sandboxed: [Double] = []
        var node: [Double] = []
        // Each job goes to an idle cluster: Slurm starts a job submitted just after another
        // ended on the same node only at its next scheduling pass, which would charge
        // whichever path submits second with up to a second more.
        for _ in 0..<jobs {
            try await Task.sleep(for: .seconds(1.5))
            floor += try await SlurmFloor.sequential(1, settings: settings, directory: dir.path)
            try await Task.sleep(for: .seconds(1.5))
            sandboxed += try await SlurmFloor.sequential(1, .sandboxedNoOp, settings: settings, directory: dir.path)
            try await Task.sleep(for: .seconds(1.5))
            node.append(try await timeNoOpJob(engine, spec))
        }
        let (f50, f99) = percentiles(floor), (s50, s99) = percentiles(sandboxed), (n50, n99) = percentiles(node)
        print(String(format: "slurm no-op job submit-to-terminal over %d jobs: node p50 %.0f ms, p99 %.0f ms; Slurm itself over REST: /bin/true p50 %.0f ms, p99 %.0f ms, /bin/true in bwrap's namespaces p50 %.0f ms, p99 %.0f ms; the node adds %.0f%% to the sandboxed floor at p50, %.0f%% to the bare one (target: at most 10%%)",
                     jobs, n50 * 1000, n99 * 1000, f50 * 1000, f99 * 1000, s50 * 1000, s99 * 1000,
                     (n50 / s50 - 1) * 100, (n50 / f50 - 1) * 100))

        let floorSeconds = try await SlurmFloor.atOnce(jobs, settings: settings, directory: dir.path)
        let sandboxedSeconds = try await SlurmFloor.atOnce(jobs, .sandboxedNoOp, settings: settings, directory: dir.path)
        let (nodeSeconds, failed) = try await timeJobsAtOnce(jobs, engine: engine, spec: spec)
        print(String(format: "slurm %d no-op jobs at once: node %.2f jobs/s, Slurm itself %.2f jobs/s for /bin/true and %.2f in bwrap's namespaces (%d cores here)%@",
                     jobs, Double(jobs) / nodeSeconds, Double(jobs) / floorSeconds, Double(jobs) / sandboxedSeconds,
                     ProcessInfo.processInfo.activeProcessorCount, failed > 0 ? ", \(failed) FAILED" : ""))
        await engine.shutdown()
        try await timeoutPrecision(settings: settings, in: dir.appendingPathComponent("timeouts"), runtime: runtime.path)
    } catch {
        print("slurm benchmark failed: \(error)")
    }
}

/// How long after `maxJobDuration` (counted from when Slurm runs the job) a job that
/// sleeps past it ends as timeout: the node's own deadline, Slurm's being whole minutes.
/// Target (issue 16): within 2 s.
private func timeoutPrecision(settings: SlurmSettings, in dir: URL, runtime: String, jobs: Int = 5) async throws {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    chmod(dir.path, 0o755)
    var environment = ComputeEnvironment(id: "bench-slurm-timeout", maxJobs: 1, maxQueuedJobs: jobs, maxJobDuration: 2,
                                         backend: .slurm(settings))
    environment.runtimes = ["shell:1": runtime]
    let (engine, spec) = try await startBenchEngine(environment, in: dir,
                                                    container: ContainerSection(entrypoint: "sleep 60", image: "shell", tag: "1"))
    var late: [Double] = []
    for _ in 0..<jobs {
        let job = try await engine.submit(spec)
        guard let done = try await engine.waitUntilFinished(id: job.jobId), done.terminationReason == "timeout" else { continue }
        let transitions = try await engine.transitions(of: job.jobId)
        guard let ran = transitions.last(where: { $0.status == .runningAlgorithm })?.at,
              let ended = transitions.first(where: { $0.status == .filteringResults })?.at else { continue }
        late.append(ended - ran - Double(environment.maxJobDuration))
    }
    await engine.shutdown()
    let p50 = percentiles(late).0
    print(String(format: "slurm timeout: a job sleeping past maxJobDuration (2 s) ended %.2f s after it at p50, %.2f s at worst, over %d jobs (target: within 2 s)",
                 p50, late.max() ?? 0, late.count) + (late.count < jobs ? ", \(jobs - late.count) did not end as timeout" : ""))
}
