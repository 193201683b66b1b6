import Foundation
import SluiceCore
import SluiceCrypto
import SluiceEVMTesting
import SluiceLedger
import SluiceStore
import Testing
@testable import SluiceEVM

/// `setMetaDataState` on the harness chain: the indexer follows `MetadataState` into the
/// DDO's `nft.state`, and orders on an asset its owner retired are refused.
@Suite("MetadataState on the harness chain", .serialized, .enabled(if: Harness.configured, Comment(rawValue: Harness.disabledReason)))
struct MetadataStateTests {
    static func now() -> Int { Int(Date().timeIntervalSince1970) }
    static let files: [JSONValue] = [.object(["type": .string("url"), "url": .string("https://example.org/state.csv"), "method": .string("GET")])]

    /// A fresh asset (never the shared one: its state changes) and an indexer from just before it.
    func published(_ harness: Harness) async throws -> (ChainAsset, SQLiteStore, MetadataIndexer) {
        let head = try await harness.client.blockNumber()
        let asset = try await harness.publishDataset(name: "Stateful dataset", files: Self.files)
        let store = try SQLiteStore.inMemory()
        let indexer = MetadataIndexer(client: harness.client, config: harness.chainConfig(startBlock: head + 1), store: store,
                                      key: harness.providerKey)
        return (asset, store, indexer)
    }

    @Test func everyStateIsIndexedAndOnlyActiveAndUnlistedAssetsCanBeOrdered() async throws {
        let harness = try Harness.load()
        let (asset, store, indexer) = try await published(harness)
        try await indexer.syncOnce()
        let active = try #require(try await store.asset(asset.did))
        #expect(active.nft.state == 0)

        // One order placed while the asset is active, checked against each later state.
        let consumer = try harness.account("consumer").address
        let environment = ComputeEnvironment(id: "free-cpu")
        let fee = ProviderFees.make(environment: environment, datatoken: asset.datatoken, serviceId: asset.serviceId,
                                    validUntil: Self.now() + 600, now: Self.now(), key: harness.providerKey)
        let tx = try await harness.startOrder(datatoken: asset.datatoken, consumer: consumer, payer: consumer, serviceIndex: 0, fee: fee)
        let found = try #require(try await EVMLedger(client: harness.client).order(tx))
        let verifier = OrderVerifier(providerAddress: harness.providerKey.address, now: { Self.now() })

        for state in [MetadataState.revoked, .endOfLife, .deprecated, .orderingDisabled, .unlisted, .active] {
            let receipt = try await harness.setMetaDataState(state, of: asset.nft)
            let stateLogs = receipt.logs.filter { $0.topics.first == OceanContracts.metadataState.topic }
            #expect(stateLogs.count == 1 && stateLogs.first?.address == asset.nft, "setMetaDataState emits one MetadataState")
            try await indexer.syncOnce()
            let ddo = try #require(try await store.asset(asset.did))
            #expect(ddo.nft.state == state.rawValue, "after setMetaDataState(\(state.rawValue))")
            // The document and its event stay those of the metadata event.
            #expect(ddo.metadata == active.metadata)
            #expect(ddo.event == active.event)

            let context = OrderVerifier.Context(ddo: ddo, serviceIndex: 0, requester: consumer, environment: environment,
                                                field: "dataset.transferTxId")
            if state.allowsOrdering {
                _ = try verifier.verify(found.order, original: found.original, context: context)
            } else {
                let error = #expect(throws: RequestError.self) {
                    try verifier.verify(found.order, original: found.original, context: context)
                }
                #expect(error?.kind == .forbidden)
                #expect(error?.message.contains(state.name) == true, "\(error?.message ?? "")")
            }
        }
        #expect(MetadataState.allCases.filter(\.allowsOrdering) == [.active, .unlisted])
    }

    @Test func aStateSetInTheSameBatchAsThePublicationApplies() async throws {
        let harness = try Harness.load()
        let (asset, store, indexer) = try await published(harness)
        try await harness.setMetaDataState(.orderingDisabled, of: asset.nft)
        try await indexer.syncOnce()
        let ddo = try #require(try await store.asset(asset.did))
        #expect(ddo.nft.state == MetadataState.orderingDisabled.rawValue)
        #expect(ddo.metadata.name == "Stateful dataset")
    }

    @Test func aStateOfAnNFTWithoutMetadataIndexesNothing() async throws {
        let harness = try Harness.load()
        let head = try await harness.client.blockNumber()
        let (nft, _) = try await harness.createAsset()
        try await harness.setMetaDataState(.revoked, of: nft)
        let store = try SQLiteStore.inMemory()
        let indexer = MetadataIndexer(client: harness.client, config: harness.chainConfig(startBlock: head + 1), store: store,
                                      key: harness.providerKey)
        let last = try await indexer.syncOnce()
        #expect(last != nil)
        #expect(try await store.asset(DID.derive(nftAddress: nft, chainId: harness.chainId)) == nil)
    }
}
