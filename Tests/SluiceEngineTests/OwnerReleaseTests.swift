import Foundation
import SluiceCore
import SluiceCrypto
import SluiceStore
import Testing
@testable import SluiceEngine

/// The data owner's release with real algorithms in bubblewrap: outputs that pass the
/// checks stay withheld at status 50 until the dataset's owner approves or rejects them,
/// or the deadline passes.
@Suite("The data owner's release")
struct OwnerReleaseTests {
    static let key = PrivateKey.generate()
    static let datasetOwner = PrivateKey.generate().address
    static let stranger = PrivateKey.generate().address

    static func spec(deadline: Int = 3600, owner: EthereumAddress? = datasetOwner) -> JobSpecification {
        EngineHarness.python("""
            open("/data/outputs/model.json", "w").write('{"mean": 4.2}')
            print("fitted")
            """, inputs: [JobInput(did: EngineHarness.datasetDID, files: [.path(Fixtures.smallInput())],
                                   ddo: .object(["id": .string(EngineHarness.datasetDID)]),
                                   outputPolicy: OutputPolicy(review: ReviewPolicy(required: true, deadlineSeconds: deadline)),
                                   owner: owner?.lowercased)])
    }

    func outputs(_ status: JobStatus) -> [String] { status.results.filter { $0.type == .output }.map(\.filename) }

    func receipt(_ h: EngineHarness, _ status: JobStatus) async throws -> JobReceipt {
        let entry = try #require(status.results.first { $0.type == .receipt })
        let opened = try #require(try await h.engine.openResult(jobId: status.jobId, index: entry.index))
        return try SignedReceipt.verify(Array(try opened.handle.readToEnd() ?? Data()), node: Self.key.address,
                                        outputs: h.workspace(status.jobId).outputs)
    }

    @Test func theOwnersApprovalReleasesTheOutputs() async throws {
        try await EngineHarness.with(engineConfiguration: { $0.receiptKey = Self.key }) { h in
            let held = try await h.run(Self.spec())
            #expect(held.status == 50, "\(held.error ?? "")\n\(h.algorithmLog(held.jobId))")
            #expect(held.statusText == JobStatus.awaitingReviewText)
            #expect(held.results.isEmpty, "nothing is a result before the owner decides")
            #expect(held.review?.state == .pending)
            #expect(held.review?.reviewers == [Self.datasetOwner.checksummed])
            #expect(held.outputChecks?.released.map(\.filename) == ["model.json"], "the checks passed it")
            #expect(try await h.engine.openResult(jobId: held.jobId, index: 0) == nil)
            // The slot is free while it waits.
            #expect(await h.engine.currentJobs(environment: "test-env") == 0)

            await #expect(throws: ReviewRefusal.notAReviewer(jobId: held.jobId)) {
                try await h.engine.review(id: held.jobId, by: Self.stranger, verdict: .approve, reason: nil)
            }
            let done = try #require(try await h.engine.review(id: held.jobId, by: Self.datasetOwner, verdict: .approve, reason: "aggregates only"))
            #expect(done.status == 70 && done.terminationReason == "completed", "\(done.error ?? "")")
            #expect(outputs(done) == ["model.json"])
            #expect(done.review?.state == .approved)
            #expect(done.review?.decisions.map(\.reviewer) == [Self.datasetOwner.checksummed])
            #expect(done.review?.decisions.first?.reason == "aggregates only")
            let transitions = try await h.engine.transitions(of: done.jobId).map(\.status.rawValue)
            #expect(transitions == [1, 10, 20, 30, 40, 50, 60, 70])
            // Recorded with the job, and in its receipt.
            let stored = try #require(try await h.store.job(id: done.jobId))
            #expect(stored.review?.decisions.first?.verdict == .approve)
            #expect(stored.heldEnding == nil)
            let r = try await receipt(h, done)
            #expect(r.review?.state == "approved")
            #expect(r.review?.decisions.first?.verdict == "approve")
            #expect(r.outputs.map(\.filename) == ["model.json"])
            // Decided once.
            await #expect(throws: ReviewRefusal.alreadyDecided(jobId: done.jobId)) {
                try await h.engine.review(id: done.jobId, by: Self.datasetOwner, verdict: .reject, reason: nil)
            }
        }
    }

    @Test func theOwnersRejectionWithholdsTheOutputsSayingWhy() async throws {
        try await EngineHarness.with(engineConfiguration: { $0.receiptKey = Self.key }) { h in
            let held = try await h.run(Self.spec())
            #expect(held.status == 50, "\(held.error ?? "")")
            let done = try #require(try await h.engine.review(id: held.jobId, by: Self.datasetOwner, verdict: .reject, reason: "too detailed"))
            #expect(done.status == 70 && done.terminationReason == "outputWithheld")
            #expect(outputs(done).isEmpty)
            #expect(done.results.map(\.filename) == ["algorithm.log", "configure.log", "publish.log", "receipt.json"], "the logs stay results")
            let decision = try #require(done.outputChecks?.decisions.first)
            #expect(decision.rule == .ownerReview && !decision.released)
            #expect(decision.reason == "withheld: the dataset's owner \(Self.datasetOwner.checksummed) rejected the results: too detailed")
            #expect(done.review?.state == .rejected)
            let r = try await receipt(h, done)
            #expect(r.review?.state == "rejected" && r.review?.decisions.first?.reason == "too detailed")
            #expect(r.outputChecks.first?.rule == "ownerReview" && r.outputs.isEmpty)
        }
    }

    @Test func theDeadlinePassingRejectsTheOutputs() async throws {
        try await EngineHarness.with { h in
            let held = try await h.run(Self.spec(deadline: 600))
            #expect(held.status == 50, "\(held.error ?? "")")
            let deadline = try #require(held.review?.deadline)
            #expect(await h.engine.sweepReviews(now: deadline - 1) == 0, "not before the deadline")
            #expect(await h.engine.sweepReviews(now: deadline) == 1)
            let done = try #require(try await h.engine.job(id: held.jobId))
            #expect(done.status == 70 && done.terminationReason == "outputWithheld")
            #expect(done.review?.state == .expired)
            #expect(done.outputChecks?.decisions.first?.reason?.contains("deadline") == true)
            await #expect(throws: ReviewRefusal.notAwaitingReview(jobId: held.jobId)) {
                try await h.engine.review(id: held.jobId, by: Self.datasetOwner, verdict: .approve, reason: nil)
            }
        }
    }

    @Test func aJobAwaitingReviewStillAwaitsItAfterARestart() async throws {
        let first = try await EngineHarness.make()
        let held = try await first.run(Self.spec())
        #expect(held.status == 50, "\(held.error ?? "")")
        await first.engine.shutdown()
        let second = try await EngineHarness.make(dataDirectory: first.dataDirectory)
        defer { Task { await second.shutdown() } }
        let after = try #require(try await second.engine.job(id: held.jobId))
        #expect(after.status == 50 && after.review?.state == .pending, "not run again, not ended")
        let done = try #require(try await second.engine.review(id: held.jobId, by: Self.datasetOwner, verdict: .approve, reason: nil))
        #expect(done.status == 70 && outputs(done) == ["model.json"])
        await second.shutdown()
    }

    @Test func nothingToReleaseNeedsNoReview() async throws {
        try await EngineHarness.with { h in
            var spec = Self.spec()
            spec.inputs[0].outputPolicy?.maxFileBytes = 1
            let done = try await h.run(spec)
            #expect(done.status == 70 && done.terminationReason == "outputWithheld", "\(done.error ?? "")")
            #expect(done.review == nil)
            #expect(done.outputChecks?.decisions.first?.rule == .maxFileBytes)
        }
    }

    @Test func aStoppedJobsOutputsAreNotReleasedUnreviewed() async throws {
        try await EngineHarness.with { h in
            var spec = Self.spec()
            spec.algorithm.code = .raw("""
                import time
                open("/data/outputs/model.json", "w").write('{"mean": 4.2}')
                print("ready", flush=True)
                time.sleep(60)
                """)
            let submitted = try await h.engine.submit(spec)
            for _ in 0..<600 where !h.algorithmLog(submitted.jobId).contains("ready") {
                try await Task.sleep(for: .milliseconds(100))
            }
            let stopped = try #require(try await h.engine.stop(id: submitted.jobId))
            #expect(stopped.status == 7)
            #expect(outputs(stopped).isEmpty)
            #expect(stopped.outputChecks?.decisions.first?.rule == .ownerReview)
        }
    }
}
