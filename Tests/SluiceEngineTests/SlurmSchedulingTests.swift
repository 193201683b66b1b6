import Foundation
import SluiceCore
@testable import SluiceEngine
import SluiceStore
import SluiceTesting
import Testing

/// Issue 16, points 2 and 3, on the harness's single node (2 CPUs): Slurm, not the node,
/// decides when jobs run, the status object says where a job waits, and jobs outlive the
/// node. In the serialized Slurm suite, so no other test's jobs share the queue.
extension SlurmBackendTests {
    @Test func aJobWaitingInSlurmIsStatus1WithItsReasonAndItsPlaceInTheQueue() async throws {
        // Each job takes both CPUs: one runs, the others wait in Slurm (not in the node).
        try await EngineHarness.with(on: .slurm, configure: { $0.nCPU = 2; $0.maxJobs = 3 }) { h in
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try await h.engine.submit(h.shell("sleep 3; echo done > /data/outputs/d")).jobId) }
            var positions: Set<Int> = []
            var reasons: Set<String> = []
            var counted = false
            let sawTwoWaiting = try await eventually(within: 60) {
                let statuses = try await ids.asyncMap { try await h.engine.job(id: $0) }.compactMap { $0 }
                let waiting = statuses.filter { $0.status == 1 && $0.scheduler?.state == "PENDING" }
                for status in waiting {
                    status.scheduler?.queuePosition.map { positions.insert($0) }
                    status.scheduler?.reason.map { reasons.insert($0) }
                }
                if statuses.filter({ $0.status == 40 }).count == 1, waiting.count == 2 {
                    let current = await h.engine.currentJobs(environment: "test-env")
                    let queued = await h.engine.queuedJobs(environment: "test-env")
                    counted = counted || (current == 1 && queued == 2)
                }
                // Other suites' Slurm jobs may wait in the same partition: places are Slurm's.
                return positions.count >= 2 && counted
            }
            #expect(sawTwoWaiting, "positions \(positions), counts seen: \(counted)")
            #expect(!reasons.isEmpty && reasons.isSubset(of: ["Resources", "Priority"]), "\(reasons)")
            for id in ids {
                let done = try #require(try await h.engine.waitUntilFinished(id: id))
                #expect(done.status == 70, "\(done.error ?? "")")
                #expect(done.scheduler?.id.isEmpty == false)
            }
            // A job that waited in Slurm went 30 -> 1 (handed over) -> 40 (Slurm runs it).
            let statuses = try await h.engine.transitions(of: ids[2]).map(\.status)
            let handedOver = try #require(statuses.firstIndex(of: .provisioningSuccess))
            #expect(Array(statuses[handedOver...].prefix(3)) == [.provisioningSuccess, .warmingUp, .runningAlgorithm], "\(statuses)")
        }
    }

    @Test func twentyJobsOnAPartitionWithRoomForTwoAllEnd70AndSlurmsQueueHeldThem() async throws {
        try await EngineHarness.with(on: .slurm, configure: { $0.nCPU = 1; $0.maxJobs = 20 }) { h in
            let script = "date +%s.%N > /data/outputs/start; sleep 1; date +%s.%N > /data/outputs/end"
            var ids: [String] = []
            for _ in 0..<20 { ids.append(try await h.engine.submit(h.shell(script)).jobId) }
            var spans: [(Double, Double)] = []
            var heldBySlurm = 0
            for id in ids {
                let done = try #require(try await h.engine.waitUntilFinished(id: id))
                #expect(done.status == 70, "\(done.error ?? "") \(h.configureLog(id))")
                if let start = h.output(id, "start").flatMap(Self.seconds), let end = h.output(id, "end").flatMap(Self.seconds) {
                    spans.append((start, end))
                }
                let log = h.configureLog(id)
                if log.contains("waits in Slurm's queue (Resources)") || log.contains("waits in Slurm's queue (Priority)") {
                    heldBySlurm += 1
                }
            }
            #expect(spans.count == 20)
            // Never more than the partition's two CPUs' worth at once: jobs that shared more
            // than a tenth of a second (a job's end and the next one's start, read from the
            // clock inside each, may touch).
            let most = RunSpans.mostAtOnce(spans.map { (start: $0.0, end: $0.1) })
            #expect(most <= 2, "\(most) jobs ran at once")
            #expect(heldBySlurm >= 10, "only \(heldBySlurm) jobs waited in Slurm's queue")
        }
    }

    /// A node that stops lets go of its Slurm job, which runs on; the next start follows
    /// it again and publishes its results, and it ran once.
    @Test func aRestartedNodeFollowsItsSlurmJobAgainAndPublishesItsResults() async throws {
        let first = try await EngineHarness.make(on: .slurm)
        let job = try await first.engine.submit(first.shell("echo started >> /data/outputs/runs; sleep 4; echo result > /data/outputs/r.txt"))
        let running = try await eventually(within: 60) { try await first.engine.job(id: job.jobId)?.status == 40 }
        #expect(running, "\(first.configureLog(job.jobId))")
        await first.engine.shutdown()
        let stored = try #require(try await first.store.job(id: job.jobId))
        #expect(stored.status == .runningAlgorithm && stored.scheduler?.scheduler == "slurm", "\(stored)")

        let second = try await EngineHarness.make(dataDirectory: first.dataDirectory, on: .slurm)
        let done = try #require(try await second.engine.waitUntilFinished(id: job.jobId))
        #expect(done.status == 70, "\(done.error ?? "") \(second.configureLog(job.jobId))")
        #expect(second.output(job.jobId, "r.txt") == "result\n")
        #expect(second.output(job.jobId, "runs") == "started\n", "the job ran again")
        #expect(second.configureLog(job.jobId).contains("following job"))
        #expect(done.results.contains { $0.filename == "r.txt" })
        await second.shutdown()
    }

    @Test func aClusterThatStopsAnsweringRefusesNewJobsWith503NamingOnlyItsHost() async throws {
        try await EngineHarness.with(on: .slurm) { h in
            try await h.engine.requireAvailable(environment: "test-env")
            var gone = h.environment
            gone.backend = .slurm(SlurmSettings(restURL: SlurmRESTEndpoint(host: "127.0.0.1", port: try SlurmUnreachableTests().closedLoopbackPort()),
                                                tokenFile: try SlurmTestEnvironment.settings().tokenFile, user: "root", partition: "debug"))
            let error = await #expect(throws: RequestError.self) {
                try await SlurmBackend(environments: [gone]).requireAvailable(gone)
            }
            #expect(error?.kind == .unavailable)
            #expect(error?.message.contains("at 127.0.0.1:") == true, "\(error?.message ?? "")")
            let token = try String(contentsOfFile: SlurmTestEnvironment.settings().tokenFile, encoding: .utf8)
            #expect(error?.message.contains(token.trimmingCharacters(in: .whitespacesAndNewlines)) == false)
        }
    }

    static func seconds(_ text: String) -> Double? {
        Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
