import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceEngine
@testable import SluiceProvider
import Testing

/// Every refusal of the compute API names its field, answers 4xx, and starts nothing.
@Suite("Compute API refusals")
struct ComputeRefusalTests {
    /// Bob's jobs as the engine knows them: a refused start must leave this unchanged.
    static func jobCount(_ s: ComputeScenario) async throws -> Int {
        try await s.t.node.engine.jobs(owner: s.bob.address).count
    }

    static func expectRefused(_ response: TestResponse, _ status: HTTPResponse.Status, field: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.json?["field"]?.stringValue == field, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.json?["error"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    }

    @Test func startRefusals() async throws {
        let config = NodeConfig(environments: [try TestNode.environment(), try TestNode.environment(id: "other")])
        let t = try await TestNode(config: config)
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            let dataTx = try await s.order(s.dataset, serviceId: "compute", by: s.bob)
            let algoTx = try await s.order(s.algorithm, serviceId: "0", by: s.bob)
            let algorithm = s.publishedAlgorithm(tx: algoTx)
            func start(_ body: JSONValue) async throws -> TestResponse { try await client.postJSON("/api/services/compute", body) }

            // Signature by another key.
            Self.expectRefused(try await start(s.startBody(by: s.bob, datasetTx: dataTx, algorithm: algorithm, signer: s.alice)), .unauthorized, field: "signature")
            // Missing and unknown environments.
            var noEnv = s.startBody(by: s.bob, datasetTx: dataTx, algorithm: algorithm).objectValue ?? [:]
            noEnv["environment"] = nil
            Self.expectRefused(try await start(.object(noEnv)), .badRequest, field: "environment")
            Self.expectRefused(try await start(s.startBody(by: s.bob, datasetTx: dataTx, algorithm: algorithm, env: "gpu-9000")), .notFound, field: "environment")
            // A DID that is not an algorithm.
            let notAlgo = JSONValue.object(["documentId": .string(s.rawDataset.id.text), "serviceId": .string("compute"), "transferTxId": .string(algoTx)])
            Self.expectRefused(try await start(s.startBody(by: s.bob, datasetTx: dataTx, algorithm: notAlgo)), .badRequest, field: "algorithm.documentId")
            // An algorithm the dataset does not trust: another one of Alice's.
            let files = try await client.post("/api/services/encrypt", ByteBuffer(string: JSONValue.array([
                .object(["type": .string("local"), "path": .string(s.algorithmPath)])]).compactJSON())).text
            let otherAlgo = try await ComputeScenario.publish(client, s.alice, AssetFlowTests.algorithmDraft(files: files))
            _ = try await client.post("/api/sluice/tokens/\(otherAlgo.services[0].datatokenAddress)/mint",
                                      s.alice.write("mint", ["to": .string(s.bob.checksummed), "amount": .string("1000000000000000000")]))
            let otherTx = try await s.order(otherAlgo, serviceId: "0", by: s.bob)
            Self.expectRefused(try await start(s.startBody(by: s.bob, datasetTx: dataTx, algorithm: .object([
                "documentId": .string(otherAlgo.id.text), "serviceId": .string("0"), "transferTxId": .string(otherTx)]))), .forbidden, field: "algorithm.documentId")
            // An order paid by another consumer: Alice's order, used by Bob.
            let mint = try await client.post("/api/sluice/tokens/\(s.dataset.services[1].datatokenAddress)/mint",
                                             s.alice.write("mint", ["to": .string(s.alice.checksummed), "amount": .string("1000000000000000000")]))
            #expect(mint.status == .ok)
            let alicesTx = try await s.order(s.dataset, serviceId: "compute", by: s.alice)
            Self.expectRefused(try await start(s.startBody(by: s.bob, datasetTx: alicesTx, algorithm: algorithm)), .forbidden, field: "dataset.transferTxId")
            // An order for another environment.
            let otherEnvTx = try await s.order(s.dataset, serviceId: "compute", by: s.bob, env: "other")
            Self.expectRefused(try await start(s.startBody(by: s.bob, datasetTx: otherEnvTx, algorithm: algorithm)), .badRequest, field: "dataset.transferTxId")
            // An unknown order.
            Self.expectRefused(try await start(s.startBody(by: s.bob, datasetTx: "0x" + String(repeating: "9", count: 64), algorithm: algorithm)), .badRequest, field: "dataset.transferTxId")
            #expect(try await Self.jobCount(s) == 0, "no refused start created a job")

            // The good request goes through once; replaying it is refused.
            let accepted = s.startBody(by: s.bob, datasetTx: dataTx, algorithm: algorithm)
            let first = try await start(accepted)
            #expect(first.status == .created, "\(first.text)")
            Self.expectRefused(try await start(accepted), .unauthorized, field: "nonce")
            // The order is used up now.
            let usedUp = try await start(s.startBody(by: s.bob, datasetTx: dataTx, algorithm: algorithm))
            Self.expectRefused(usedUp, .conflict, field: "dataset.transferTxId")
            #expect(try await Self.jobCount(s) == 1)

            // Files changed after the algorithm was trusted.
            try Data((ComputeScenario.algorithmCode + "\nprint('changed')\n").utf8).write(to: URL(fileURLWithPath: s.algorithmPath))
            let freshData = try await s.order(s.dataset, serviceId: "compute", by: s.bob)
            let freshAlgo = try await s.order(s.algorithm, serviceId: "0", by: s.bob)
            let changed = try await start(s.startBody(by: s.bob, datasetTx: freshData, algorithm: s.publishedAlgorithm(tx: freshAlgo)))
            Self.expectRefused(changed, .forbidden, field: "algorithm.documentId")
            #expect(changed.json?["error"]?.stringValue?.contains("filesChecksum") == true)

            // An expired order: older than the service timeout of 3600 s.
            t.clock.advance(3700)
            Self.expectRefused(try await start(s.startBody(by: s.bob, datasetTx: freshData, algorithm: s.publishedAlgorithm(tx: freshAlgo))), .badRequest, field: "dataset.transferTxId")
            #expect(try await Self.jobCount(s) == 1)
        }
    }

    @Test func anotherConsumersOrderAndJobAreRefused() async throws {
        let t = try await TestNode()
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            let mallory = Wallet()
            // Mallory signs correctly but uses Bob's order.
            let bobsTx = try await s.order(s.rawDataset, serviceId: "compute", by: s.bob)
            let stolen = try await client.postJSON("/api/services/compute",
                s.startBody(by: mallory, datasetTx: bobsTx, algorithm: ComputeScenario.rawAlgorithm("print(1)"), dataset: s.rawDataset))
            // The order names the provider as consumer and Bob as payer: Mallory is neither.
            Self.expectRefused(stolen, .forbidden, field: "dataset.transferTxId")

            let started = try await client.postJSON("/api/services/compute",
                s.startBody(by: s.bob, datasetTx: bobsTx, algorithm: ComputeScenario.rawAlgorithm("print(1)"), dataset: s.rawDataset))
            let jobId = try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue)
            _ = try await s.waitUntilFinished(jobId, by: s.bob)
            Self.expectRefused(try await s.status(jobId, by: mallory), .forbidden, field: "jobId")
            Self.expectRefused(try await client.get("/api/services/computeResult?" + s.resultQuery(by: mallory, jobId: jobId, index: 0)), .forbidden, field: "jobId")
            Self.expectRefused(try await client.execute(uri: "/api/services/compute?" + s.jobQuery(by: mallory, jobId: jobId), method: .delete), .forbidden, field: "jobId")
            Self.expectRefused(try await client.get("/api/services/computeResult?" + s.resultQuery(by: s.bob, jobId: jobId, index: 99)), .notFound, field: "index")
            Self.expectRefused(try await s.status("ffffffffffffffffffffffffffffffff", by: s.bob), .notFound, field: "jobId")
            // Still there for Bob; a replayed listing query is refused.
            #expect(try await s.status(jobId, by: s.bob).status == .ok)
            let listing = s.jobQuery(by: s.bob, documentId: s.rawDataset.id.text)
            #expect(try await client.get("/api/services/compute?" + listing).json?.arrayValue?.count == 1)
            Self.expectRefused(try await client.get("/api/services/compute?" + listing), .unauthorized, field: "nonce")
        }
    }

    @Test func trustedPublisherListsAreEnforced() async throws {
        let t = try await TestNode()
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            // Alice allows only Mallory's algorithms: her own trusted algorithm no longer runs.
            let mallory = Wallet()
            let set = try await client.post("/api/sluice/assets/\(s.dataset.id.text)/trust",
                                            s.alice.write("trust", ["serviceId": .string("compute"), "publishers": .array([.string(mallory.checksummed)])]))
            #expect(set.status == .ok, "\(set.text)")
            #expect(set.json?["services"]?.arrayValue?[1]["compute"]?["publisherTrustedAlgorithmPublishers"] == .array([.string(mallory.checksummed)]))
            let start = { () async throws -> TestResponse in
                try await client.postJSON("/api/services/compute", s.startBody(
                    by: s.bob, datasetTx: try await s.order(s.dataset, serviceId: "compute", by: s.bob),
                    algorithm: s.publishedAlgorithm(tx: try await s.order(s.algorithm, serviceId: "0", by: s.bob))))
            }
            Self.expectRefused(try await start(), .forbidden, field: "algorithm.documentId")
            // Bob may not change Alice's lists.
            let byBob = try await client.post("/api/sluice/assets/\(s.dataset.id.text)/trust",
                                              s.bob.write("trust", ["serviceId": .string("compute"), "publishers": .array([])]))
            #expect(byBob.status == .forbidden)
            // With Alice on the list it runs again.
            _ = try await client.post("/api/sluice/assets/\(s.dataset.id.text)/trust",
                                      s.alice.write("trust", ["serviceId": .string("compute"), "publishers": .array([.string(s.alice.checksummed)])]))
            let allowed = try await start()
            #expect(allowed.status == .created, "\(allowed.text)")
            if let id = allowed.json?.arrayValue?.first?["jobId"]?.stringValue { _ = try await s.waitUntilFinished(id, by: s.bob) }
        }
    }

    @Test func aFullQueueIsRefusedWith429() async throws {
        let env = try TestNode.environment { $0.maxJobs = 1; $0.maxQueuedJobs = 0 }
        let t = try await TestNode(config: NodeConfig(environments: [env]))
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            let first = try await client.postJSON("/api/services/compute", s.startBody(
                by: s.bob, datasetTx: try await s.order(s.rawDataset, serviceId: "compute", by: s.bob),
                algorithm: ComputeScenario.rawAlgorithm("import time\ntime.sleep(30)"), dataset: s.rawDataset))
            #expect(first.status == .created)
            let jobId = try #require(first.json?.arrayValue?.first?["jobId"]?.stringValue)
            let full = try await client.postJSON("/api/services/compute", s.startBody(
                by: s.bob, datasetTx: try await s.order(s.rawDataset, serviceId: "compute", by: s.bob),
                algorithm: ComputeScenario.rawAlgorithm("print(1)"), dataset: s.rawDataset))
            Self.expectRefused(full, .tooManyRequests, field: "environment")
            _ = try await client.execute(uri: "/api/services/compute?" + s.jobQuery(by: s.bob, jobId: jobId), method: .put)
        }
    }
}
