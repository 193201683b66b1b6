import Foundation
import SluiceCore
@testable import SluiceEngine
import SluiceStore
import Testing

@Suite("Job lifecycle", .serialized)
struct LifecycleTests {
    @Test func everyTransitionIsStoredWithItsTime() async throws {
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.shell("true"))
            #expect(status.status == 70)
            let transitions = try await h.engine.transitions(of: status.jobId)
            #expect(transitions.map(\.status.rawValue) == [1, 10, 20, 30, 40, 50, 60, 70])
            #expect(zip(transitions, transitions.dropFirst()).allSatisfy { $0.at <= $1.at })
            #expect(Double(status.dateFinished ?? "") == transitions.last?.at.rounded(toPlaces: 3))
        }
    }

    @Test func resultsAreOutputsByPathThenTheThreeLogs() async throws {
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.shell("""
                mkdir -p /data/outputs/a
                printf zz > /data/outputs/z.txt; printf b > /data/outputs/b.txt; printf ccc > /data/outputs/a/c.txt
                echo to-stdout; echo to-stderr >&2
                """))
            #expect(status.status == 70)
            #expect(status.results.map(\.filename) == ["a/c.txt", "b.txt", "z.txt", "algorithm.log", "configure.log", "publish.log"])
            #expect(status.results.map(\.type) == [.output, .output, .output, .algorithmLog, .configurationLog, .publishLog])
            #expect(status.results.map(\.index) == Array(0..<6))
            #expect(status.results.prefix(3).map(\.filesize) == [3, 1, 2])
            #expect(status.algorithmLogIndex == 3)
            let log = try #require(try await h.engine.openResult(jobId: status.jobId, index: 3))
            let text = String(decoding: try log.handle.readToEnd() ?? Data(), as: UTF8.self)
            #expect(text.contains("to-stdout") && text.contains("to-stderr"))
            #expect(log.size == Int64(text.utf8.count))
            let nested = try #require(try await h.engine.openResult(jobId: status.jobId, index: 0))
            #expect(nested.downloadName == "c.txt")
            #expect(try nested.handle.readToEnd() == Data("ccc".utf8))
            #expect(try await h.engine.openResult(jobId: status.jobId, index: 6) == nil)
            #expect(try await h.engine.openResult(jobId: "0123456789abcdef0123456789abcdef", index: 0) == nil)
        }
    }

    @Test func theConfigureLogSaysWhichLimitsAreInForce() async throws {
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.shell("true"))
            let log = h.configureLog(status.jobId)
            let mechanism = BubblewrapBackend().limitMechanism
            for needle in ["memory: 268435456 bytes", "processes: 64", "cpu: 1.0 cores", "disk: 67108864 bytes", "wall time: 60 s"] {
                #expect(log.contains(needle), "\(needle) missing from:\n\(log)")
            }
            if mechanism != "rlimits" { #expect(log.contains(mechanism)) }
        }
    }

    @Test func algorithmLogIsCappedWithAMarker() async throws {
        try await EngineHarness.with(engineConfiguration: { $0.algorithmLogCap = 1000 }) { h in
            let status = try await h.run(EngineHarness.python("print('y' * 20000)\nprint('done')"))
            #expect(status.status == 70)
            let log = h.algorithmLog(status.jobId)
            #expect(log.hasPrefix(String(repeating: "y", count: 1000)))
            #expect(log.contains("algorithm.log was cut at 1000 bytes"))
            #expect(!log.contains("done"))
            #expect(log.utf8.count < 1200)
        }
    }

    @Test func aNonZeroExitIsAlgorithmFailedWithItsCode() async throws {
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.shell("echo oops >&2; exit 3"))
            #expect(status.status == 41)
            #expect(status.terminationReason == "algorithmFailed")
            #expect(status.exitCode == 3)
            #expect(status.error?.contains("code 3") == true)
            #expect(status.results.contains { $0.type == .algorithmLog })
        }
    }

    @Test func theQueueIsFIFOAndNeverRunsMoreThanMaxJobs() async throws {
        try await EngineHarness.with(configure:{ $0.maxJobs = 2 }) { h in
            var ids: [String] = []
            for _ in 0..<6 { ids.append(try await h.engine.submit(EngineHarness.shell("sleep 0.3")).jobId) }
            #expect(await h.engine.currentJobs(environment: "test-env") <= 2)
            for id in ids { _ = try await h.engine.waitUntilFinished(id: id) }
            var intervals: [(start: Double, end: Double)] = []
            for id in ids {
                let transitions = try await h.engine.transitions(of: id)
                let start = try #require(transitions.first { $0.status == .jobStarted }?.at)
                let end = try #require(transitions.last?.at)
                #expect(transitions.last?.status == .jobFinished)
                intervals.append((start, end))
            }
            // FIFO: jobs start in submission order.
            #expect(zip(intervals, intervals.dropFirst()).allSatisfy { $0.start <= $1.start })
            // At no job's start were more than maxJobs running.
            for candidate in intervals {
                let overlapping = intervals.filter { $0.start <= candidate.start && candidate.start < $0.end }
                #expect(overlapping.count <= 2)
            }
            #expect(await h.engine.currentJobs(environment: "test-env") == 0)
        }
    }

    @Test func aFullQueueRefusesNewJobs() async throws {
        try await EngineHarness.with(configure:{ $0.maxJobs = 1; $0.maxQueuedJobs = 1 }) { h in
            let running = try await h.engine.submit(EngineHarness.shell("sleep 30"))
            _ = try await h.engine.submit(EngineHarness.shell("true"))
            await #expect(throws: RequestError.self) { try await h.engine.submit(EngineHarness.shell("true")) }
            _ = try await h.engine.stop(id: running.jobId)
        }
    }

    @Test func stopKillsTheTreeQuicklyAndKeepsLogsAndPartialOutputs() async throws {
        try await EngineHarness.with { h in
            // The output is written before "started" is logged, so seeing the log line means it exists.
            var spec = EngineHarness.shell("echo partial > /data/outputs/partial.txt; echo started; (sleep 60 &); sleep 60")
            spec.algorithm.container.entrypoint = "sh $ALGO sluice-stop-marker"
            let job = try await h.engine.submit(spec)
            #expect(try await eventually(within: 20) { h.algorithmLog(job.jobId).contains("started") })
            #expect(!SandboxProbe.processes(containing: "sluice-stop-marker").isEmpty)
            let started = Date()
            let stopped = try #require(try await h.engine.stop(id: job.jobId))
            let elapsed = Date().timeIntervalSince(started)
            #expect(stopped.status == 7)
            #expect(stopped.statusText == "Job stopped")
            #expect(stopped.terminationReason == "stopped")
            #expect(stopped.stopreq == 1)
            #expect(stopped.dateFinished != nil)
            // The issue asks for 1 s; the bound is generous for a loaded 2-core machine.
            #expect(elapsed < 3, "stop took \(elapsed) s")
            #expect(SandboxProbe.processes(containing: "sluice-stop-marker").isEmpty)
            #expect(stopped.results.map(\.filename) == ["partial.txt", "algorithm.log", "configure.log", "publish.log"])
            // Stopping again answers the job as it is.
            #expect(try await h.engine.stop(id: job.jobId)?.status == 7)
        }
    }

    @Test func stoppingAQueuedJobEndsItWithoutRunning() async throws {
        try await EngineHarness.with(configure:{ $0.maxJobs = 1 }) { h in
            let running = try await h.engine.submit(EngineHarness.shell("sleep 30"))
            let queued = try await h.engine.submit(EngineHarness.shell("true"))
            let stopped = try #require(try await h.engine.stop(id: queued.jobId))
            #expect(stopped.status == 7)
            #expect(try await h.engine.transitions(of: queued.jobId).map(\.status) == [.warmingUp, .jobStopped])
            _ = try await h.engine.stop(id: running.jobId)
        }
    }

    @Test func deleteStopsAndRemovesEverything() async throws {
        try await EngineHarness.with { h in
            let job = try await h.engine.submit(EngineHarness.shell("echo x > /data/outputs/x; sleep 30"))
            #expect(try await eventually(within: 20) { FileManager.default.fileExists(atPath: h.workspace(job.jobId).outputs.appendingPathComponent("x").path) })
            let deleted = try #require(try await h.engine.delete(id: job.jobId))
            #expect(deleted.status == 8)
            #expect(deleted.statusText == "Job deleted successfully")
            #expect(try await h.engine.job(id: job.jobId) == nil)
            #expect(!FileManager.default.fileExists(atPath: h.workspace(job.jobId).root.path))
            #expect(try await h.engine.jobs(owner: EthereumAddress(EngineHarness.owner)!).isEmpty)
            #expect(try await h.engine.delete(id: job.jobId) == nil)
        }
    }

    @Test func theExpirySweepRemovesOnlyExpiredResults() async throws {
        try await EngineHarness.with(configure:{ $0.storageExpiry = 60 }) { h in
            let old = try await h.run(EngineHarness.shell("true"))
            let finished = try #require(Double(old.dateFinished ?? ""))
            #expect(await h.engine.sweepExpired(now: finished + 30) == 0)
            #expect(try await h.engine.job(id: old.jobId) != nil)
            #expect(await h.engine.sweepExpired(now: finished + 61) == 1)
            #expect(try await h.engine.job(id: old.jobId) == nil)
            #expect(!FileManager.default.fileExists(atPath: h.workspace(old.jobId).root.path))
        }
    }

    @Test func jobsAreListedNewestFirstPerOwnerAndDocument() async throws {
        try await EngineHarness.with { h in
            let first = try await h.run(EngineHarness.shell("true"))
            let otherDID = "did:op:" + String(repeating: "ab", count: 32)
            let second = try await h.run(EngineHarness.shell("true", inputs: [JobInput(did: otherDID, files: [.path(Fixtures.smallInput())])]))
            let owner = try #require(EthereumAddress(EngineHarness.owner.lowercased()))
            #expect(try await h.engine.jobs(owner: owner).map(\.jobId) == [second.jobId, first.jobId])
            #expect(try await h.engine.jobs(owner: owner, documentId: otherDID).map(\.jobId) == [second.jobId])
            let stranger = try #require(EthereumAddress("0x" + String(repeating: "1", count: 40)))
            #expect(try await h.engine.jobs(owner: stranger).isEmpty)
        }
    }

    @Test func submitConsumesTheNonceInTheSameTransaction() async throws {
        try await EngineHarness.with { h in
            let owner = try #require(EthereumAddress(EngineHarness.owner))
            let admission = JobAdmission(authorization: Authorization(signer: owner, nonce: Nonce(7)), orders: [])
            let job = try await h.engine.submit(EngineHarness.shell("true")) { try await h.store.insert($0, admitting: admission) }
            #expect(try await h.store.lastNonce(of: owner) == 7)
            await #expect(throws: StoreError.staleNonce(sent: 7, last: 7)) {
                _ = try await h.engine.submit(EngineHarness.shell("true")) { try await h.store.insert($0, admitting: admission) }
            }
            _ = try await h.engine.waitUntilFinished(id: job.jobId)
            #expect(try await h.engine.jobs(owner: owner).count == 1)
        }
    }

    @Test func badSpecificationsAreRefusedBeforeAnythingIsStored() async throws {
        try await EngineHarness.with { h in
            var unknownEnvironment = EngineHarness.shell("true")
            unknownEnvironment.environment = "nope"
            var traversal = EngineHarness.shell("true")
            traversal.inputs[0].did = "did:op:../../etc"
            var noEntrypoint = EngineHarness.shell("true")
            noEntrypoint.algorithm.container.entrypoint = "   "
            let cases: [(JobSpecification, SpecificationProblem)] = [
                (unknownEnvironment, .unknownEnvironment("nope")), (traversal, .malformedDatasetDID(input: 0)), (noEntrypoint, .badEntrypoint),
            ]
            for (spec, problem) in cases {
                do {
                    _ = try await h.engine.submit(spec)
                    Issue.record("accepted a bad specification")
                } catch let error as SpecificationProblem {
                    #expect(error == problem)
                }
            }
            #expect(try await h.engine.jobs(owner: EthereumAddress(EngineHarness.owner)!).isEmpty)
        }
    }

    @Test func theStatusObjectEncodesEveryFieldOfTheContract() async throws {
        try await EngineHarness.with { h in
            let queued = try await h.engine.submit(EngineHarness.shell("true"))
            let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(queued)) as? [String: Any])
            for key in ["owner", "documentId", "jobId", "dateCreated", "dateFinished", "status", "statusText", "results",
                        "inputDID", "algoDID", "agreementId", "environment", "stopreq", "terminationReason", "exitCode", "error"] {
                #expect(json.keys.contains(key), "\(key) missing")
            }
            #expect(json["dateFinished"] is NSNull)
            #expect(json["algoDID"] as? String == "raw")
            #expect(Double(json["dateCreated"] as? String ?? "") != nil)
            #expect(queued.jobId.count == 32)
            _ = try await h.engine.waitUntilFinished(id: queued.jobId)
        }
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let factor = Foundation.pow(10.0, Double(places))
        return (self * factor).rounded() / factor
    }
}
