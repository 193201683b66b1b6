import Foundation
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceEVM
import SluiceEVMTesting
import SluiceStore
import Testing
@testable import SluiceProvider

/// The validate route's proof on Ocean's real ERC721Template, and the indexer's
/// `allowedValidators`.
@Suite("Metadata proofs on the harness chain", .serialized,
       .enabled(if: Harness.configured, Comment(rawValue: Harness.disabledReason)))
struct MetadataProofChainTests {
    @Test func theTemplateAcceptsTheNodesProofAndOnlyProvenDocumentsAreIndexedWhenValidatorsAreSet() async throws {
        let harness = try Harness.load()
        var config = NodeConfig(environments: [try TestNode.environment()])
        config.chainId = harness.chainId
        let t = try await TestNode(config: config, key: harness.providerKey, ledger: EVMLedger(client: harness.client))
        let stranger = PrivateKey.generate()
        let cache = MetadataCache(node: t.node)
        let head = try await harness.client.blockNumber()
        let files: [JSONValue] = [.object(["type": .string("url"), "url": .string("https://example.org/data.csv")])]

        // setMetaData reverts on a proof the template cannot verify: these going through is its acceptance.
        let proven = try await harness.publishDataset(name: "Proven", files: files) { bytes in try cache.validate(bytes) }
        let unproven = try await harness.publishDataset(name: "Unproven", files: files)
        let otherValidator = try await harness.publishDataset(name: "Other validator", files: files) { bytes in
            MetadataProof.sign(document: bytes, key: stranger)
        }
        let tx = try #require(try await firstMetadataTx(harness, proven, from: head))
        let receipt = try #require(try await harness.client.transactionReceipt(tx))
        let validated = receipt.logs.filter { $0.topics.first == OceanContracts.metadataValidated.topic }
        #expect(validated.count == 1)
        #expect(validated.first.flatMap { try? OceanContracts.metadataValidated.decode(topics: $0.topics, data: $0.data)["validator"]?.addressValue }
                == harness.providerKey.address)

        var strict = harness.chainConfig(startBlock: head + 1)
        strict.allowedValidators = [harness.providerKey.address]
        try await MetadataIndexer(client: harness.client, config: strict, store: t.store, key: harness.providerKey).syncOnce()
        #expect(try await t.store.asset(proven.did) != nil)
        #expect(try await t.store.asset(unproven.did) == nil)
        #expect(try await t.store.asset(otherValidator.did) == nil)

        // Without a list, every document counts (Aquarius's default).
        let open = try SQLiteStore.inMemory()
        try await MetadataIndexer(client: harness.client, config: harness.chainConfig(startBlock: head + 1), store: open,
                                  key: harness.providerKey).syncOnce()
        #expect(try await open.asset(unproven.did) != nil)
        #expect(try await open.asset(otherValidator.did) != nil)
        await t.shutdown()
    }

    /// The transaction of the asset's MetadataCreated event.
    func firstMetadataTx(_ harness: Harness, _ asset: ChainAsset, from block: Int) async throws -> String? {
        let logs = try await harness.client.logs(from: block, to: asset.block, topics: [[OceanContracts.metadataCreated.topic]])
        return logs.first { $0.address == asset.nft }?.transactionHash
    }
}
