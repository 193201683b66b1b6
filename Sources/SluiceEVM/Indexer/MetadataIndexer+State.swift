import SluiceCore
import SluiceCrypto

extension MetadataIndexer {
    /// `MetadataState`: the owner changed the asset's state alone. As Aquarius does, only
    /// `nft.state` changes; the document and its `event` stay those of the last metadata
    /// event. An NFT whose metadata this node never indexed has nothing to update.
    func ddo(applyingState log: EVMLog, pending: [String: DDO]) async throws -> DDO {
        let v = try OceanContracts.metadataState.decode(topics: log.topics, data: log.data)
        guard let state = v["state"]?.uintValue?.int else { throw Skip(description: "malformed MetadataState event") }
        let did = DID.derive(nftAddress: log.address, chainId: config.chainId)
        var ddo: DDO
        if let p = pending[did.text] {
            ddo = p
        } else if let stored = try await store.asset(did) {
            ddo = stored
        } else {
            throw Skip(description: "MetadataState for an NFT without indexed metadata")
        }
        ddo.nft.state = state
        return ddo
    }
}
