import Foundation
import SluiceCore
import SluiceCrypto
import SluiceEVMTesting
import SluiceLedger
import SluiceStore
import Testing
@testable import SluiceEVM

/// Orders placed on the real EVM harness (Ocean's contracts on py-evm), read back by the
/// EVM ledger and checked by the node's `OrderVerifier`, as compute start does.
@Suite("EVM ledger on the harness chain", .serialized, .enabled(if: Harness.configured, Comment(rawValue: Harness.disabledReason)))
struct HarnessLedgerTests {
    static let environment = ComputeEnvironment(id: "free-cpu")
    static func now() -> Int { Int(Date().timeIntervalSince1970) }

    struct Setup {
        let asset: PublishedAsset.Value
        let ledger: EVMLedger
        let verifier: OrderVerifier
        let consumer: EthereumAddress
        var harness: Harness { asset.harness }
    }

    func setup() async throws -> Setup {
        let asset = try await PublishedAsset.shared.get()
        return Setup(asset: asset, ledger: EVMLedger(client: asset.harness.client),
                     verifier: OrderVerifier(providerAddress: asset.harness.providerKey.address, now: { Self.now() }),
                     consumer: try asset.harness.account("consumer").address)
    }

    func fee(_ s: Setup, environment: ComputeEnvironment = environment, datatoken: EthereumAddress? = nil,
             validUntil: Int? = nil, key: PrivateKey? = nil) -> ProviderFee {
        ProviderFees.make(environment: environment, datatoken: datatoken ?? s.asset.datatoken, serviceId: s.asset.serviceId,
                          validUntil: validUntil ?? Self.now() + 600, now: Self.now(), key: key ?? s.harness.providerKey)
    }

    /// What compute start does with a transaction id: the ledger's order, then the common rules.
    func verify(_ s: Setup, _ tx: String, requester: EthereumAddress? = nil, serviceIndex: Int = 0) async throws -> Order {
        guard let found = try await s.ledger.order(tx) else {
            throw RequestError.badRequest("no order \(tx) is known", field: "dataset.transferTxId")
        }
        let context = OrderVerifier.Context(ddo: s.asset.ddo, serviceIndex: serviceIndex, requester: requester ?? s.consumer,
                                           environment: Self.environment, field: "dataset.transferTxId")
        return try s.verifier.verify(found.order, original: found.original, context: context)
    }

    func refusal(_ s: Setup, _ tx: String, requester: EthereumAddress? = nil) async throws -> RequestError {
        do {
            let order = try await verify(s, tx, requester: requester)
            Issue.record("order \(order.transactionId) was accepted")
            return RequestError.badRequest("accepted")
        } catch let error as RequestError {
            return error
        }
    }

    @Test func thePublishedAssetIsIndexedFromTheChain() async throws {
        let s = try await setup()
        let ddo = s.asset.ddo
        #expect(ddo.id == s.asset.did)
        #expect(ddo.nftAddress == s.asset.nft)
        #expect(ddo.services.count == 1)
        #expect(ddo.services[0].datatokenAddress == s.asset.datatoken)
        #expect(EthereumAddress(ddo.nft.owner) == (try s.harness.account("publisher").address))
        #expect(ddo.datatokens.map { EthereumAddress($0.address) } == [s.asset.datatoken])
        #expect(ddo.metadata.name == "Harness dataset")
        let cursor = try #require(try await s.asset.store.indexCursor(chainId: s.harness.chainId))
        #expect(cursor.blockNumber <= (try await s.harness.client.blockNumber()))
    }

    @Test func anOrderWithAFeeSignedBySluiceIsAccepted() async throws {
        let s = try await setup()
        let tx = try await s.harness.startOrder(datatoken: s.asset.datatoken, consumer: s.consumer, payer: s.consumer,
                                                serviceIndex: 0, fee: fee(s))
        let order = try await verify(s, tx)
        #expect(order.transactionId == tx.lowercased())
        #expect(order.consumer == s.consumer)
        #expect(order.amount == TokenAmount.tokens(1))
        #expect(order.nftAddress == s.asset.nft)
        #expect(abs(order.timestamp - Self.now()) < 600)

        // A reuse with a fresh fee is followed back to this order.
        let reuse = try await s.harness.reuseOrder(tx, datatoken: s.asset.datatoken, payer: s.consumer, fee: fee(s))
        let found = try #require(try await s.ledger.order(reuse))
        #expect(found.original?.transactionId == tx.lowercased())
        #expect(found.order.reusedOrderId == tx.lowercased())
        _ = try await verify(s, reuse)
    }

    @Test func aFeeSignedByAnotherKeyIsRefused() async throws {
        let s = try await setup()
        let tx = try await s.harness.startOrder(datatoken: s.asset.datatoken, consumer: s.consumer, payer: s.consumer,
                                                serviceIndex: 0, fee: fee(s, key: PrivateKey.generate()))
        let error = try await refusal(s, tx)
        #expect(error.kind == .badRequest)
        #expect(error.message.contains("not signed by this provider"))
        #expect(error.field == "dataset.transferTxId")
    }

    @Test func aFeeForAnotherEnvironmentOrDatatokenIsRefused() async throws {
        let s = try await setup()
        let otherEnv = try await s.harness.startOrder(datatoken: s.asset.datatoken, consumer: s.consumer, payer: s.consumer,
                                                      serviceIndex: 0, fee: fee(s, environment: ComputeEnvironment(id: "gpu-large")))
        var error = try await refusal(s, otherEnv)
        #expect(error.kind == .badRequest)
        #expect(error.message.contains("environment \"gpu-large\""))

        let otherToken = try await s.harness.startOrder(datatoken: s.asset.datatoken, consumer: s.consumer, payer: s.consumer,
                                                        serviceIndex: 0, fee: fee(s, datatoken: EthereumAddress(suffixOf: [9, 9, 9])))
        error = try await refusal(s, otherToken)
        #expect(error.kind == .badRequest)
        #expect(error.message.contains("another datatoken or service"))
    }

    @Test func anExpiredFeeIsRefused() async throws {
        let s = try await setup()
        let tx = try await s.harness.startOrder(datatoken: s.asset.datatoken, consumer: s.consumer, payer: s.consumer,
                                                serviceIndex: 0, fee: fee(s, validUntil: Self.now() - 60))
        let error = try await refusal(s, tx)
        #expect(error.kind == .badRequest)
        #expect(error.message.contains("expired"))
    }

    @Test func anOrderForAnotherServiceIndexIsRefused() async throws {
        let s = try await setup()
        let tx = try await s.harness.startOrder(datatoken: s.asset.datatoken, consumer: s.consumer, payer: s.consumer,
                                                serviceIndex: 1, fee: fee(s))
        let error = try await refusal(s, tx)
        #expect(error.kind == .badRequest)
        #expect(error.message.contains("service 1, not 0"))
    }

    @Test func anOrderOfAnotherConsumerIsRefused() async throws {
        let s = try await setup()
        let owner = try s.harness.account("owner").address
        let tx = try await s.harness.startOrder(datatoken: s.asset.datatoken, consumer: owner, payer: owner,
                                                serviceIndex: 0, fee: fee(s))
        let error = try await refusal(s, tx, requester: s.consumer)
        #expect(error.kind == .forbidden)
        #expect(error.message.contains("another consumer"))
        // Its own consumer is served.
        _ = try await verify(s, tx, requester: owner)
    }

    @Test func anOrderOfAnotherAssetsDatatokenIsRefused() async throws {
        let s = try await setup()
        let (_, otherDatatoken) = try await s.harness.createAsset()
        let tx = try await s.harness.startOrder(datatoken: otherDatatoken, consumer: s.consumer, payer: s.consumer,
                                                serviceIndex: 0, fee: fee(s))
        let error = try await refusal(s, tx)
        #expect(error.kind == .badRequest)
        #expect(error.message.contains("another datatoken"))
    }

    @Test func aRevertedTransactionIsRefused() async throws {
        let s = try await setup()
        // The owner holds none of this datatoken: startOrder reverts.
        let hash = try await s.harness.revertedStartOrder(datatoken: s.asset.datatoken, fee: fee(s))
        let receipt = try #require(try await s.harness.client.transactionReceipt(hash))
        #expect(receipt.status == 0)
        let error = try await refusal(s, hash)
        #expect(error.kind == .badRequest)
        #expect(error.message.contains("reverted"))
    }

    @Test func aTransactionThatDoesNotExistIsUnknown() async throws {
        let s = try await setup()
        let missing = Hex.encode(Keccak256.hash("no such transaction \(UUID())"), prefix: true)
        #expect(try await s.ledger.order(missing) == nil)
        #expect(try await s.ledger.order("0x1234") == nil)
        let error = try await refusal(s, missing)
        #expect(error.kind == .badRequest)
    }

    @Test func aTransactionThatIsNotAnOrderIsRefused() async throws {
        let s = try await setup()
        // The asset's own createNftWithErc20 transaction.
        let created = try #require(s.harness.info["asset"]?["txHash"]?.stringValue)
        let error = try await refusal(s, created)
        #expect(error.kind == .badRequest)
        #expect(error.message.contains("not a datatoken order"))
    }

    @Test func theIndexerResumesFromItsCursorAndPicksUpUpdates() async throws {
        let s = try await setup()
        let config = ChainConfig(rpcUrl: s.harness.client.configuration.url, chainId: s.harness.chainId, nftFactory: s.harness.factory,
                                 startBlock: 0)
        let indexer = MetadataIndexer(client: s.harness.client, config: config, store: s.asset.store, key: s.harness.providerKey)
        let before = try #require(try await s.asset.store.indexCursor(chainId: s.harness.chainId))
        // From the stored cursor, not from block 0: nothing before it is read again.
        let last = try #require(try await indexer.syncOnce())
        #expect(last >= before.blockNumber)

        // A MetadataUpdated with a new name, plain (flags 0) this time, sent as a legacy transaction.
        var json = try JSONValue.parse(Array(try JSONEncoder().encode(s.asset.ddo)))
        guard case .object(var o) = json, case .object(var meta)? = o["metadata"] else { throw Harness.Unusable(description: "ddo") }
        meta["name"] = .string("Renamed on chain")
        o["metadata"] = .object(meta)
        for key in ["nft", "datatokens", "event", "stats"] { o[key] = nil }
        json = .object(o)
        let publication = try MetadataPublication(document: Array(json.compactJSON().utf8), provider: s.harness.providerKey.publicKey,
                                                  compress: false, encrypt: false)
        let publisher = try s.harness.account("publisher")
        let sender = TransactionSender(client: s.harness.client, chainId: s.harness.chainId, key: publisher.key)
        let data = try OceanContracts.setMetaData.callData(
            publication.setMetaDataArguments(decryptorUrl: "http://127.0.0.1:8030", decryptorAddress: s.harness.providerKey.address))
        _ = try await s.harness.retryingNonce {
            var request = try await sender.prepare(to: s.asset.nft, data: data)
            request.fees = .legacy(gasPrice: try await s.harness.client.gasPrice() * 2)
            return try await sender.send(request)
        }
        try await indexer.syncOnce()
        let updated = try #require(try await s.asset.store.asset(s.asset.did))
        #expect(updated.metadata.name == "Renamed on chain")
        #expect(updated.nft.created == s.asset.ddo.nft.created)
    }
}
