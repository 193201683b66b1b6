import Foundation
import SluiceClient
import SluiceCore
import Testing

/// Issue 16, point 3: a real `sluice serve` on the slurm backend (the harness of
/// `scripts/slurm-test-env.sh`) killed with SIGKILL while its Slurm job runs. The job is
/// Slurm's: it runs on, once, and the restarted node follows it and publishes its results.
@Suite("A slurm-backend node killed with SIGKILL", .serialized,
       .enabled(if: SlurmCluster.settings != nil, "SLUICE_SLURM_REST_URL is not set: run `eval \"$(scripts/slurm-test-env.sh start)\"`"))
struct SlurmNodeCrashTests {
    @Test func theSlurmJobRunsOnWhileItsNodeIsDeadAndEnds70WithItsResultsAfterTheRestart() async throws {
        let slurm = try #require(SlurmCluster.settings)
        let first = try await ClientNode.start { config in
            config["jobsDir"] = .string(config.jobsDirectory)
            guard case .array(let environments) = config["environments"], case .object(var environment) = environments.first else { return }
            environment["id"] = .string("slurm-cpu")
            environment["backend"] = .string("slurm")
            environment["slurm"] = slurm
            config["environments"] = .array([.object(environment)])
        }
        var stopped = false
        defer { if !stopped { first.stop() } }
        let (_, jobId, _, _, _) = try await NodeCrashTests.startAndCrash(first)
        let node = try await first.restarted()
        stopped = true
        defer { node.stop() }

        let done = try await node.client.wait(jobId: jobId, by: node.bob, pollInterval: .milliseconds(250), timeout: .seconds(120))
        #expect(done.status == 70 && done.succeeded, "\(done.failureReason) \(node.process.log.suffix(2000))")
        #expect(done.scheduler?.scheduler == "slurm")
        let outputs = node.jobsDirectory.appendingPathComponent(jobId).appendingPathComponent("outputs")
        // One run, started before the kill, saw an empty outputs directory: not run again.
        #expect(NodeCrashTests.startedMarkers(in: outputs) == 1)
        let index = try #require(done.results.first { $0.filename == "result.txt" }?.index, "\(done.results)")
        let file = node.dir.appendingPathComponent("downloaded-result.txt")
        _ = try await node.client.downloadResult(jobId: jobId, index: index, to: file, by: node.bob)
        #expect((try? String(contentsOf: file, encoding: .utf8)) == "seen at start: []")
    }
}

/// The harness's cluster as a node config's `slurm` object.
enum SlurmCluster {
    static var settings: JSONValue? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["SLUICE_SLURM_REST_URL"], !url.isEmpty, let token = environment["SLUICE_SLURM_TOKEN_FILE"],
              let user = environment["SLUICE_SLURM_USER"] else { return nil }
        return .object(["restURL": .string(url), "tokenFile": .string(token), "user": .string(user),
                        "partition": .string(environment["SLUICE_SLURM_PARTITION"] ?? "debug")])
    }
}
