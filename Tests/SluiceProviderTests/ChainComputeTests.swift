import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceEVM
import SluiceEVMTesting
import SluiceEngine
import SluiceLedger
@testable import SluiceProvider
import Testing

/// Compute through HTTP on a node whose ledger is the EVM harness chain: the dataset is
/// published and indexed from the chain, the order placed there with the fee the node's
/// initializeCompute signed, and the job runs in the real sandbox.
@Suite("Compute with orders on the harness chain", .serialized,
       .enabled(if: Harness.configured, Comment(rawValue: Harness.disabledReason)))
struct ChainComputeTests {
    struct Chain {
        let harness: Harness
        let t: TestNode
        let asset: ChainAsset
        let indexer: MetadataIndexer
        let consumer: Wallet
    }

    /// A node with the harness's provider key and an `EVMLedger`, and a dataset over a
    /// local CSV under its file root, published on the chain and indexed into its store.
    static func chain() async throws -> Chain {
        let harness = try Harness.load()
        var config = NodeConfig(environments: [try TestNode.environment()])
        config.chainId = harness.chainId
        let t = try await TestNode(config: config, key: harness.providerKey, ledger: EVMLedger(client: harness.client))
        let csv = try t.publishedFile("chain.csv", "x,y\n1,2\n3,4\n5,6\n")
        let head = try await harness.client.blockNumber()
        let asset = try await harness.publishDataset(name: "Chain dataset", files: [.object(["type": .string("local"), "path": .string(csv)])])
        let indexer = MetadataIndexer(client: harness.client, config: harness.chainConfig(startBlock: head + 1), store: t.store,
                                      key: harness.providerKey)
        try await indexer.syncOnce()
        return Chain(harness: harness, t: t, asset: asset, indexer: indexer, consumer: Wallet(try harness.account("consumer").key))
    }

    static let algorithm = ComputeScenario.rawAlgorithm(ComputeScenario.algorithmCode)

    static func now() -> Int { Int(Date().timeIntervalSince1970) }

    /// initializeCompute for the dataset and a raw algorithm, as the consumer.
    static func initialize(_ c: Chain, _ client: any TestClientProtocol) async throws -> TestResponse {
        try await client.postJSON("/api/services/initializeCompute", .object([
            "datasets": .array([.object(["documentId": .string(c.asset.did.text), "serviceId": .string(c.asset.serviceId)])]),
            "algorithm": algorithm,
            "compute": .object(["env": .string("free-cpu"), "validUntil": .integer(Int64(now() + 600))]),
            "consumerAddress": .string(c.consumer.checksummed),
        ]))
    }

    /// The provider fee initializeCompute signed for the dataset.
    static func signedFee(_ c: Chain, _ client: any TestClientProtocol) async throws -> ProviderFee {
        let response = try await initialize(c, client)
        #expect(response.status == .ok, "\(response.text)")
        let fee = try #require(response.json?["datasets"]?.arrayValue?.first?["providerFee"])
        return try JSONDecoder().decode(ProviderFee.self, from: Data(fee.compactJSON().utf8))
    }

    /// `startOrder` on the chain with the consumer as consumer and payer.
    static func order(_ c: Chain, fee: ProviderFee, consumer: EthereumAddress? = nil, serviceIndex: Int = 0) async throws -> String {
        let who = consumer ?? c.consumer.address
        return try await c.harness.startOrder(datatoken: c.asset.datatoken, consumer: who, payer: who, serviceIndex: serviceIndex, fee: fee)
    }

    static func start(_ c: Chain, _ client: any TestClientProtocol, tx: String) async throws -> TestResponse {
        let nonce = c.consumer.nextNonce()
        let signature = PersonalSign.sign(message: c.consumer.checksummed + c.asset.did.text, nonce: nonce, key: c.consumer.key).hex
        return try await client.postJSON("/api/services/compute", .object([
            "consumerAddress": .string(c.consumer.checksummed), "nonce": .integer(Int64(nonce.value)), "signature": .string(signature),
            "environment": .string("free-cpu"),
            "dataset": .object(["documentId": .string(c.asset.did.text), "serviceId": .string(c.asset.serviceId), "transferTxId": .string(tx)]),
            "algorithm": algorithm,
        ]))
    }

    static func signedQuery(_ c: Chain, message: String) -> String {
        let nonce = c.consumer.nextNonce()
        let signature = PersonalSign.sign(message: c.consumer.checksummed + message, nonce: nonce, key: c.consumer.key).hex
        return "consumerAddress=\(c.consumer.checksummed)&nonce=\(nonce.value)&signature=\(signature)"
    }

    static func jobCount(_ c: Chain) async throws -> Int {
        try await c.t.node.engine.jobs(owner: c.consumer.address).count
    }

    static func expectRefused(_ response: TestResponse, _ status: HTTPResponse.Status, field: String, saying words: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.json?["field"]?.stringValue == field, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.json?["error"]?.stringValue?.contains(words) == true, "\(response.text)", sourceLocation: sourceLocation)
    }

    @Test func aChainOrderPaysForAJobWhoseResultsDownload() async throws {
        let c = try await Self.chain()
        try await c.t.test { client in
            #expect(try await client.get("/").json?["ledger"] == .string("evm"))
            let fee = try await Self.signedFee(c, client)
            #expect(fee.providerFeeAddress == c.harness.providerKey.address)
            let tx = try await Self.order(c, fee: fee)

            let started = try await Self.start(c, client, tx: tx)
            #expect(started.status == .created, "\(started.text)")
            let jobId = try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue)
            #expect(started.json?.arrayValue?.first?["agreementId"]?.stringValue == tx.lowercased())

            var job: JSONValue?
            for _ in 0..<600 {
                let status = try await client.get("/api/services/compute?" + Self.signedQuery(c, message: jobId) + "&jobId=\(jobId)")
                job = status.json?.arrayValue?.first
                if let finished = job?["dateFinished"]?.stringValue, let value = Double(finished), value > 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let done = try #require(job)
            #expect(done["status"] == .integer(70), "\(done.compactJSON())")
            let results = try #require(done["results"]?.arrayValue)
            let output = try #require(results.first { $0["filename"]?.stringValue == "result.txt" })
            let index = try #require(output["index"]?.int64Value)
            let downloaded = try await client.get("/api/services/computeResult?" + Self.signedQuery(c, message: jobId + String(index))
                                                  + "&jobId=\(jobId)&index=\(index)")
            #expect(downloaded.status == .ok)
            #expect(downloaded.text == "rows=4 factor=None")

            // The order paid for this job: a second start with it is refused, and the
            // consumer is told initializeCompute would need a new order.
            Self.expectRefused(try await Self.start(c, client, tx: tx), .conflict, field: "dataset.transferTxId", saying: "already paid")
            #expect(try await Self.jobCount(c) == 1)
        }
    }

    @Test func refusedChainOrdersStartNothing() async throws {
        let c = try await Self.chain()
        try await c.t.test { client in
            let good = try await Self.signedFee(c, client)

            // A fee signed by another key.
            let forged = ProviderFees.make(environment: try TestNode.environment(), datatoken: c.asset.datatoken, serviceId: c.asset.serviceId,
                                           validUntil: Self.now() + 600, now: Self.now(), key: PrivateKey.generate())
            Self.expectRefused(try await Self.start(c, client, tx: try await Self.order(c, fee: forged)), .badRequest,
                               field: "dataset.transferTxId", saying: "not signed by this provider")
            // A transaction that reverted.
            let reverted = try await c.harness.revertedStartOrder(datatoken: c.asset.datatoken, fee: good)
            Self.expectRefused(try await Self.start(c, client, tx: reverted), .badRequest, field: "dataset.transferTxId", saying: "reverted")
            // A transaction the chain does not hold.
            let missing = Hex.encode(Keccak256.hash("no such order \(UUID())"), prefix: true)
            Self.expectRefused(try await Self.start(c, client, tx: missing), .badRequest, field: "dataset.transferTxId", saying: "no order")
            // An order of another consumer (the harness's owner account).
            let owner = try c.harness.account("owner").address
            Self.expectRefused(try await Self.start(c, client, tx: try await Self.order(c, fee: good, consumer: owner)), .forbidden,
                               field: "dataset.transferTxId", saying: "another consumer")
            // A fee this node signed that expired before the start.
            let expired = ProviderFees.make(environment: try TestNode.environment(), datatoken: c.asset.datatoken, serviceId: c.asset.serviceId,
                                            validUntil: Self.now() - 60, now: Self.now() - 120, key: c.harness.providerKey)
            Self.expectRefused(try await Self.start(c, client, tx: try await Self.order(c, fee: expired)), .badRequest,
                               field: "dataset.transferTxId", saying: "expired")
            // A fee this node signed, but for another environment, or for another datatoken.
            let otherEnvironment = ProviderFees.make(environment: ComputeEnvironment(id: "other-env"), datatoken: c.asset.datatoken,
                                                     serviceId: c.asset.serviceId, validUntil: Self.now() + 600, now: Self.now(),
                                                     key: c.harness.providerKey)
            Self.expectRefused(try await Self.start(c, client, tx: try await Self.order(c, fee: otherEnvironment)), .badRequest,
                               field: "dataset.transferTxId", saying: "for environment \"other-env\"")
            let otherDatatoken = ProviderFees.make(environment: try TestNode.environment(), datatoken: EthereumAddress(suffixOf: [9, 9]),
                                                   serviceId: c.asset.serviceId, validUntil: Self.now() + 600, now: Self.now(),
                                                   key: c.harness.providerKey)
            Self.expectRefused(try await Self.start(c, client, tx: try await Self.order(c, fee: otherDatatoken)), .badRequest,
                               field: "dataset.transferTxId", saying: "another datatoken or service")
            // An order for another service index of the same datatoken.
            Self.expectRefused(try await Self.start(c, client, tx: try await Self.order(c, fee: good, serviceIndex: 1)), .badRequest,
                               field: "dataset.transferTxId", saying: "for service 1, not 0")
            #expect(try await Self.jobCount(c) == 0, "no refused start created a job")

            // The good fee's order still works afterwards: the refusals used up nothing.
            let accepted = try await Self.start(c, client, tx: try await Self.order(c, fee: good))
            #expect(accepted.status == .created, "\(accepted.text)")
            #expect(try await Self.jobCount(c) == 1)
        }
    }

    @Test func anAssetItsOwnerRevokedIsRefused() async throws {
        let c = try await Self.chain()
        try await c.t.test { client in
            // Ordered while active, started after the owner revoked the asset.
            let tx = try await Self.order(c, fee: try await Self.signedFee(c, client))
            try await c.harness.setMetaDataState(.revoked, of: c.asset.nft)
            try await c.indexer.syncOnce()
            let ddo = try await client.get("/api/aquarius/assets/ddo/\(c.asset.did.text)")
            #expect(ddo.json?["nft"]?["state"] == .integer(3))

            Self.expectRefused(try await Self.initialize(c, client), .forbidden, field: "datasets[0].documentId", saying: "revoked")
            Self.expectRefused(try await Self.start(c, client, tx: tx), .forbidden, field: "dataset.documentId", saying: "revoked")
            #expect(try await Self.jobCount(c) == 0)

            // Unlisted assets stay orderable, as on Ocean's node.
            try await c.harness.setMetaDataState(.unlisted, of: c.asset.nft)
            try await c.indexer.syncOnce()
            let accepted = try await Self.start(c, client, tx: tx)
            #expect(accepted.status == .created, "\(accepted.text)")
        }
    }
}
