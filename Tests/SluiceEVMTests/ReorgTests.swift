import Foundation
import SluiceCore
import SluiceCrypto
import SluiceEVMTesting
import SluiceStore
import Testing
@testable import SluiceEVM

/// A cursor whose block is no longer the chain's (a reorganisation deeper than
/// `confirmations`): the indexer rewinds and re-applies the events it had applied.
@Suite("Indexer reorganisation", .enabled(if: Harness.configured, Comment(rawValue: Harness.disabledReason)))
struct ReorgTests {
    @Test func aCursorOffTheChainRewindsAndReappliesTheEvents() async throws {
        let harness = try Harness.load()
        let head = try await harness.client.blockNumber()
        let asset = try await harness.publishDataset(name: "Reorg dataset", files: [
            .object(["type": .string("url"), "url": .string("https://example.org/reorg.csv"), "method": .string("GET")]),
        ])
        let store = try SQLiteStore.inMemory()
        let indexer = MetadataIndexer(client: harness.client, config: harness.chainConfig(startBlock: head + 1), store: store,
                                      key: harness.providerKey)
        try await indexer.syncOnce()
        let indexed = try #require(try await store.asset(asset.did))
        var altered = indexed
        altered.metadata.name = "Altered in the store"

        // The store altered under a cursor at the publication's block, with the chain's
        // hash: the indexer trusts it and reads on from the next block, so nothing changes.
        let block = try #require(try await harness.client.block(asset.block))
        try await store.applyIndexed([altered], cursor: ChainCursor(chainId: harness.chainId, blockNumber: asset.block, blockHash: block.hash))
        try await indexer.syncOnce()
        #expect(try await store.asset(asset.did)?.metadata.name == "Altered in the store")

        // The same cursor with a hash the chain does not have: the publication's event is
        // read again and its DDO replaces the altered one.
        let foreign = Hex.encode(Keccak256.hash("a block of another branch \(UUID())"), prefix: true)
        try await store.applyIndexed([altered], cursor: ChainCursor(chainId: harness.chainId, blockNumber: asset.block, blockHash: foreign))
        #expect(try await indexer.resumeBlock() < asset.block)
        try await indexer.syncOnce()
        let restored = try #require(try await store.asset(asset.did))
        #expect(restored.metadata.name == "Reorg dataset")
        #expect(restored == indexed)
        let cursor = try #require(try await store.indexCursor(chainId: harness.chainId))
        #expect(try await harness.client.block(cursor.blockNumber)?.hash == cursor.blockHash)
    }
}
