import Foundation
import SluiceClient
import SluiceCore
import Testing

/// Issue 13: a real `sluice serve` killed with SIGKILL while a job runs, not a crash
/// simulated in the store. Bounds are generous: these run on a loaded 2-core machine.
@Suite("A node killed with SIGKILL", .serialized)
struct NodeCrashTests {
    /// Sleeps a few seconds, then writes what it saw in outputs at its start: a fresh
    /// workspace shows nothing of an earlier run.
    static let sleeper = """
        import os, time
        seen = sorted(os.listdir("/data/outputs"))
        open("/data/outputs/started-%d" % time.time_ns(), "w").close()
        time.sleep(5)
        open("/data/outputs/result.txt", "w").write("seen at start: %r" % (seen,))
        """

    /// A bubblewrap node whose job workspaces the test can see (`jobsDir`).
    static func bubblewrapNode(retries: Int?) async throws -> ClientNode {
        try await ClientNode.start { config in
            config["jobsDir"] = .string(config.jobsDirectory)
            if let retries { config["interruptedJobRetries"] = .integer(Int64(retries)) }
        }
    }

    /// Starts the sleeper on paid orders and kills the node once the algorithm runs.
    /// Returns the restarted node, the job, and the orders it was started with.
    static func startAndCrash(_ node: ClientNode) async throws
        -> (node: ClientNode, jobId: String, orders: ComputePayment, balance: TokenAmount, datasetToken: String) {
        let assets = try await node.publish(algorithm: sleeper)
        try await node.fund(assets)
        let env = try await node.client.freeEnvironment()
        let paid = try await node.client.payForCompute(dataset: try ComputeInput(ddo: assets.dataset),
                                                       algorithm: try ComputeInput(ddo: assets.algorithm), environment: env, by: node.bob)
        let datasetToken = try assets.dataset.datatoken().address.checksummed
        let balance = try await node.client.balance(token: datasetToken, holder: node.bob.checksummed)
        let job = try await node.client.startCompute(dataset: paid.dataset, algorithm: paid.algorithm, environment: env.id, by: node.bob)
        let outputs = node.jobsDirectory.appendingPathComponent(job.jobId).appendingPathComponent("outputs")
        let running = try await poll(within: 90) { startedMarkers(in: outputs) == 1 }
        #expect(running, "the algorithm did not start: \(node.process.log.suffix(2000))")
        node.process.kill9()
        return (try await node.restarted(), job.jobId, paid, balance, datasetToken)
    }

    static func startedMarkers(in outputs: URL) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: outputs.path)) ?? []).filter { $0.hasPrefix("started-") }.count
    }

    /// interruptedJobRetries 1 (the default): the job runs again from a fresh workspace and
    /// ends 70; its orders paid once and cannot start another job.
    @Test func aJobRunningWhenTheNodeIsKilledRunsAgainFreshAndEndsOnce() async throws {
        let first = try await Self.bubblewrapNode(retries: nil)
        let (node, jobId, paid, balance, token) = try await Self.startAndCrash(first)
        defer { node.stop() }
        let done = try await node.client.wait(jobId: jobId, by: node.bob, pollInterval: .milliseconds(250), timeout: .seconds(120))
        #expect(done.status == 70 && done.succeeded, "\(done.failureReason)")
        let outputs = node.jobsDirectory.appendingPathComponent(jobId).appendingPathComponent("outputs")
        // One start in this workspace, and it saw nothing of the first run.
        #expect(Self.startedMarkers(in: outputs) == 1)
        #expect((try? String(contentsOf: outputs.appendingPathComponent("result.txt"), encoding: .utf8)) == "seen at start: []")
        #expect(try await node.client.balance(token: token, holder: node.bob.checksummed) == balance)
        // The orders were spent on this job: they start nothing else.
        let env = try await node.client.freeEnvironment()
        await #expect(throws: ClientError.self) {
            _ = try await node.client.startCompute(dataset: paid.dataset, algorithm: paid.algorithm, environment: env.id, by: node.bob)
        }
    }

    /// interruptedJobRetries 0: the job ends as nodeRestarted, and the same orders start it
    /// again without paying.
    @Test func withoutRetriesTheJobEndsNodeRestartedAndItsOrdersStartItAgain() async throws {
        let first = try await Self.bubblewrapNode(retries: 0)
        let (node, jobId, paid, balance, token) = try await Self.startAndCrash(first)
        defer { node.stop() }
        let ended = try await node.client.wait(jobId: jobId, by: node.bob, pollInterval: .milliseconds(250), timeout: .seconds(60))
        #expect(ended.status == 41 && ended.terminationReason == "nodeRestarted", "\(ended)")
        let env = try await node.client.freeEnvironment()
        let again = try await node.client.startCompute(dataset: paid.dataset, algorithm: paid.algorithm, environment: env.id, by: node.bob)
        #expect(again.jobId != jobId)
        let done = try await node.client.wait(jobId: again.jobId, by: node.bob, pollInterval: .milliseconds(250), timeout: .seconds(120))
        #expect(done.status == 70 && done.succeeded, "\(done.failureReason)")
        #expect(try await node.client.balance(token: token, holder: node.bob.checksummed) == balance)
    }
}

extension ClientNode {
    /// Where the crash tests put job workspaces (`jobsDir`).
    var jobsDirectory: URL { dir.appendingPathComponent("jobs") }
}

extension [String: JSONValue] {
    /// The crash tests' `jobsDir`: the config is written before the node exists, so the
    /// path comes from the localFileRoot's parent (the node's directory).
    var jobsDirectory: String {
        guard case .array(let roots) = self["localFileRoots"], case .string(let root) = roots.first else { return "" }
        return URL(fileURLWithPath: root).deletingLastPathComponent().appendingPathComponent("jobs").path
    }
}

/// Polls `condition` every 100 ms until it holds or `seconds` pass.
func poll(within seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
