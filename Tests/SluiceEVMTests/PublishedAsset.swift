import Foundation
import SluiceCore
import SluiceCrypto
import SluiceEVMTesting
import SluiceStore
import Testing
@testable import SluiceEVM

/// One asset published on the harness chain with `setMetaData` signed by SluiceEVM, and
/// indexed into an in-memory store: shared by the tests of a run.
actor PublishedAsset {
    static let shared = PublishedAsset()

    struct Value: Sendable {
        let harness: Harness
        let store: SQLiteStore
        let did: DID
        let nft: EthereumAddress
        let datatoken: EthereumAddress
        let ddo: DDO
        let serviceId: String
    }

    private var value: Value?

    func get() async throws -> Value {
        if let value { return value }
        let harness = try Harness.load()
        let head = try await harness.client.blockNumber()
        let asset = try await harness.publishDataset(name: "Harness dataset", files: [
            .object(["type": .string("url"), "url": .string("https://example.org/data.csv"), "method": .string("GET")]),
        ])
        let store = try SQLiteStore.inMemory()
        // Start a little before the publication so the run reads only recent blocks.
        let indexer = MetadataIndexer(client: harness.client, config: harness.chainConfig(startBlock: max(0, head - 5)), store: store,
                                      key: harness.providerKey)
        try await indexer.syncOnce()
        guard let ddo = try await store.asset(asset.did) else { throw Harness.Unusable(description: "the published asset was not indexed") }
        let v = Value(harness: harness, store: store, did: asset.did, nft: asset.nft, datatoken: asset.datatoken, ddo: ddo,
                      serviceId: asset.serviceId)
        value = v
        return v
    }
}
