import Foundation
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceEngine
import SluiceTesting
import Testing

/// Compute start's rules on the fakes: what is stored, spent and refused, and that the
/// job then runs through the engine (scripted sandbox) to its results.
@Suite struct StartComputeTests {
    @Test func aPaidRawJobIsAdmittedSpendingTheNonceAndTheOrderAndRunsToItsResults() async throws {
        let fake = try await FakeNode.make()
        let ddo = try await fake.publishDataset()
        let tx = await fake.order(ddo, tx: transaction(1))
        let status = try await StartCompute(node: fake.node)(fake.startRequest(ddo, tx: tx, nonce: 5))
        #expect(status.status == 1)
        #expect(try await fake.store.lastNonce(of: FakeNode.consumerKey.address) == 5)
        #expect(try await fake.store.jobPaid(by: tx) == status.jobId)

        let finished = try #require(try await fake.node.engine.waitUntilFinished(id: status.jobId))
        #expect(finished.status == 70, "\(finished)")
        #expect(finished.results.contains { $0.filename == "result.txt" })
        let requests = await fake.backend.requests.all
        #expect(requests.count == 1 && requests.first?.jobId == status.jobId)
        await fake.shutDown()
    }

    @Test func aStaleNonceIsRefusedBeforeAnythingIsStored() async throws {
        let fake = try await FakeNode.make()
        let ddo = try await fake.publishDataset()
        _ = try await StartCompute(node: fake.node)(fake.startRequest(ddo, tx: await fake.order(ddo, tx: transaction(1)), nonce: 5))
        let second = await fake.order(ddo, tx: transaction(2))
        await #expect(throws: StoreError.staleNonce(sent: 5, last: 5)) {
            _ = try await StartCompute(node: fake.node)(fake.startRequest(ddo, tx: second, nonce: 5))
        }
        #expect(try await fake.store.jobPaid(by: second) == nil)
        await fake.shutDown()
    }

    @Test func anOrderPaysForOneJob() async throws {
        let fake = try await FakeNode.make()
        let ddo = try await fake.publishDataset()
        let tx = await fake.order(ddo, tx: transaction(1))
        let first = try await StartCompute(node: fake.node)(fake.startRequest(ddo, tx: tx, nonce: 1))
        let error = await #expect(throws: RequestError.self) {
            _ = try await StartCompute(node: fake.node)(fake.startRequest(ddo, tx: tx, nonce: 2))
        }
        #expect(error?.kind == .conflict && error?.field == "dataset.transferTxId", "\(String(describing: error))")
        #expect(try await fake.store.jobPaid(by: tx) == first.jobId)
        await fake.shutDown()
    }

    @Test func aFullQueueAnswers429AndSpendsNothing() async throws {
        let gate = ScriptedBackend.Gate()
        let fake = try await FakeNode.make(maxJobs: 1, maxQueuedJobs: 0, backend: ScriptedBackend(gate: gate))
        let ddo = try await fake.publishDataset()
        // maxJobs 1 and no queue: the first job holds the only slot while the gate is shut.
        let first = try await StartCompute(node: fake.node)(fake.startRequest(ddo, tx: await fake.order(ddo, tx: transaction(1)), nonce: 1))
        let tx = await fake.order(ddo, tx: transaction(2))
        let error = await #expect(throws: RequestError.self) {
            _ = try await StartCompute(node: fake.node)(fake.startRequest(ddo, tx: tx, nonce: 2))
        }
        #expect(error?.kind == .tooManyRequests && error?.field == "environment")
        #expect(try await fake.store.jobPaid(by: tx) == nil)
        #expect(try await fake.store.lastNonce(of: FakeNode.consumerKey.address) == 1)
        await gate.open()
        #expect(try await fake.node.engine.waitUntilFinished(id: first.jobId)?.status == 70)
        await fake.shutDown()
    }

    @Test func refusalsNameTheirField() async throws {
        let fake = try await FakeNode.make()
        let ddo = try await fake.publishDataset(allowRaw: false)
        let tx = await fake.order(ddo, tx: transaction(1))
        let cases: [(ComputeStartRequest, String, RequestError.Kind)] = [
            (fake.startRequest(ddo, tx: tx, nonce: 1, environment: "gpu"), "environment", .notFound),
            (fake.startRequest(ddo, tx: transaction(9), nonce: 2), "dataset.transferTxId", .badRequest),
            (fake.startRequest(ddo, tx: tx, nonce: 3), "algorithm.meta", .forbidden),
        ]
        for (request, field, kind) in cases {
            let error = await #expect(throws: RequestError.self) { _ = try await StartCompute(node: fake.node)(request) }
            #expect(error?.field == field && error?.kind == kind, "\(field): \(String(describing: error))")
        }
        #expect(try await fake.store.jobPaid(by: tx) == nil)
        await fake.shutDown()
    }
}
