import Foundation
import HTTPTypes
import HummingbirdTesting
import SluiceCore
import SluiceCrypto
@testable import SluiceProvider
import Testing

/// `POST /api/services/computeReview`: the dataset's owner (the NFT owner who published
/// it) releases or rejects the results of a job awaiting review; anyone else gets 403.
@Suite("The data owner's release through HTTP")
struct ReviewRouteTests {
    static func node() async throws -> TestNode {
        var config = try NodeConfig(environments: [TestNode.environment()])
        config.outputPolicy = OutputPolicy(review: ReviewPolicy(required: true, deadlineSeconds: 3600))
        return try await TestNode(config: config)
    }

    func reviewBody(_ s: ComputeScenario, by wallet: Wallet, jobId: String, decision: String, reason: String? = nil,
                    signer: Wallet? = nil) -> JSONValue {
        let nonce = wallet.nextNonce()
        let message = wallet.checksummed + jobId + decision + (reason ?? "")
        var body: [String: JSONValue] = [
            "consumerAddress": .string(wallet.checksummed), "nonce": .integer(Int64(nonce.value)), "jobId": .string(jobId),
            "decision": .string(decision),
            "signature": .string(PersonalSign.sign(message: message, nonce: nonce, key: (signer ?? wallet).key).hex),
        ]
        if let reason { body["reason"] = .string(reason) }
        return .object(body)
    }

    /// Starts a raw job on the raw dataset and waits until it awaits the owner's review.
    func heldJob(_ s: ComputeScenario) async throws -> String {
        let tx = try await s.order(s.rawDataset, serviceId: "compute", by: s.bob)
        let started = try await s.client.postJSON("/api/services/compute",
            s.startBody(by: s.bob, datasetTx: tx, algorithm: ComputeScenario.rawAlgorithm("open('/data/outputs/out.txt', 'w').write('mean 4.2')"),
                        dataset: s.rawDataset))
        #expect(started.status == .created, "\(started.text)")
        let jobId = try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue)
        for _ in 0..<600 {
            let job = try await s.status(jobId, by: s.bob).json?.arrayValue?.first
            if job?["review"]?["state"]?.stringValue == "pending" { return jobId }
            if job?["dateFinished"]?.stringValue.flatMap(Double.init) != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("job \(jobId) never awaited review")
        return jobId
    }

    @Test func theOwnerApprovesAndTheConsumerGetsTheResults() async throws {
        let t = try await Self.node()
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            let jobId = try await heldJob(s)
            let waiting = try #require(try await s.status(jobId, by: s.bob).json?.arrayValue?.first)
            #expect(waiting["status"] == .integer(50))
            #expect(waiting["statusText"]?.stringValue == "Awaiting the data owner's review")
            #expect(waiting["results"]?.arrayValue?.isEmpty == true)
            #expect(waiting["review"]?["reviewers"] == .array([.string(s.alice.checksummed)]))

            // The consumer, a stranger to the dataset, may not release it.
            let byBob = try await client.postJSON(Paths.computeReview, reviewBody(s, by: s.bob, jobId: jobId, decision: "approve"))
            #expect(byBob.status == .forbidden, "\(byBob.text)")
            // A signature by someone else than consumerAddress is 401.
            let forged = try await client.postJSON(Paths.computeReview, reviewBody(s, by: s.alice, jobId: jobId, decision: "approve", signer: s.bob))
            #expect(forged.status == .unauthorized)
            let bad = try await client.postJSON(Paths.computeReview, reviewBody(s, by: s.alice, jobId: jobId, decision: "maybe"))
            #expect(bad.status == .badRequest && bad.json?["field"]?.stringValue == "decision")
            let unknown = try await client.postJSON(Paths.computeReview, reviewBody(s, by: s.alice, jobId: String(repeating: "0", count: 32), decision: "approve"))
            #expect(unknown.status == .notFound)

            let approved = try await client.postJSON(Paths.computeReview, reviewBody(s, by: s.alice, jobId: jobId, decision: "approve", reason: "aggregate"))
            #expect(approved.status == .ok, "\(approved.text)")
            let job = try #require(approved.json?.arrayValue?.first)
            #expect(job["status"] == .integer(70))
            #expect(job["review"]?["state"]?.stringValue == "approved")
            #expect(job["review"]?["decisions"]?.arrayValue?.first?["reason"]?.stringValue == "aggregate")
            #expect(try await client.get("/api/services/computeResult?" + s.resultQuery(by: s.bob, jobId: jobId, index: 0)).text == "mean 4.2")
            let again = try await client.postJSON(Paths.computeReview, reviewBody(s, by: s.alice, jobId: jobId, decision: "reject"))
            #expect(again.status == .conflict)
        }
    }

    @Test func theOwnerRejectsAndTheConsumerSeesWhy() async throws {
        let t = try await Self.node()
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            let jobId = try await heldJob(s)
            let rejected = try await client.postJSON(Paths.computeReview, reviewBody(s, by: s.alice, jobId: jobId, decision: "reject", reason: "too fine"))
            #expect(rejected.status == .ok, "\(rejected.text)")
            let job = try #require(try await s.status(jobId, by: s.bob).json?.arrayValue?.first)
            #expect(job["status"] == .integer(70))
            #expect(job["terminationReason"]?.stringValue == "outputWithheld")
            #expect(job["review"]?["state"]?.stringValue == "rejected")
            let decision = job["outputChecks"]?["decisions"]?.arrayValue?.first
            #expect(decision?["rule"]?.stringValue == "ownerReview")
            #expect(decision?["reason"]?.stringValue?.hasSuffix("rejected the results: too fine") == true)
            #expect(job["results"]?.arrayValue?.allSatisfy { $0["type"]?.stringValue != "output" } == true)
        }
    }
}

/// `GET /api/services/computeStreamableLogs`: ocean-node's parameters and signature
/// (`consumerAddress + nonce + getComputeStreamableLogs`); only the job's consumer.
@Suite("Live logs through HTTP")
struct LiveLogRouteTests {
    func query(_ wallet: Wallet, jobId: String, signer: Wallet? = nil) -> String {
        let nonce = wallet.nextNonce()
        let hash = PersonalSign.messageHash(LiveLogRequest.message(address: wallet.checksummed, nonce: nonce))
        let signature = (signer ?? wallet).key.sign(digest: PersonalSign.digest(ofHash: hash)).hex
        return "consumerAddress=\(wallet.checksummed)&nonce=\(nonce.text)&jobId=\(jobId)&signature=\(signature)"
    }

    @Test func theConsumerGetsTheWholeLogAndOthersAreRefused() async throws {
        let t = try await TestNode()
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            let tx = try await s.order(s.rawDataset, serviceId: "compute", by: s.bob)
            let code = "import time\nfor i in range(5):\n    print('step', i, flush=True)\n    time.sleep(0.1)"
            let started = try await client.postJSON("/api/services/compute",
                s.startBody(by: s.bob, datasetTx: tx, algorithm: ComputeScenario.rawAlgorithm(code), dataset: s.rawDataset))
            let jobId = try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue)
            let streamed = try await client.get(Paths.computeStreamableLogs + "?" + query(s.bob, jobId: jobId))
            #expect(streamed.status == .ok)
            #expect(streamed.text == (0..<5).map { "step \($0)\n" }.joined())
            let done = try await s.waitUntilFinished(jobId, by: s.bob)
            #expect(done["status"] == .integer(70))

            #expect(try await client.get(Paths.computeStreamableLogs + "?" + query(s.alice, jobId: jobId)).status == .forbidden)
            #expect(try await client.get(Paths.computeStreamableLogs + "?" + query(s.bob, jobId: jobId, signer: s.alice)).status == .unauthorized)
            #expect(try await client.get(Paths.computeStreamableLogs + "?" + query(s.bob, jobId: String(repeating: "0", count: 32))).status == .notFound)
            #expect(try await client.get(Paths.computeStreamableLogs + "?consumerAddress=\(s.bob.checksummed)&nonce=1").status == .badRequest)
        }
    }
}
