import Foundation
import SluiceCore
import SluiceCrypto
import SluiceEVM

/// A dataset published on the harness chain: a fresh data NFT and datatoken, its
/// metadata set by the publisher with `setMetaData` signed by SluiceEVM.
public struct ChainAsset: Sendable {
    public let did: DID
    public let nft: EthereumAddress
    public let datatoken: EthereumAddress
    public let serviceId: String
    /// The block of its `setMetaData` transaction.
    public let block: Int
}

extension Harness {
    public static let rawAlgorithmsAllowed: JSONValue = .object([
        "allowRawAlgorithm": .bool(true), "allowNetworkAccess": .bool(false),
        "publisherTrustedAlgorithmPublishers": .array([]), "publisherTrustedAlgorithms": .array([]),
    ])

    /// Publishes a dataset with one compute service over `files` (file objects, encrypted
    /// to the provider and bound to the new NFT and datatoken as the node expects).
    /// `proof` is what a metadata cache's validate answered for the document (see `datasetDocument`).
    public func publishDataset(name: String, files: [JSONValue], serviceId: String = "compute-1", timeout: Int = 3600,
                               compute: JSONValue = rawAlgorithmsAllowed,
                               proof: (@Sendable ([UInt8]) async throws -> MetadataProof)? = nil) async throws -> ChainAsset {
        let (nft, datatoken) = try await createAsset()
        let did = DID.derive(nftAddress: nft, chainId: chainId)
        let list = try ECIES.encrypt(Array(JSONValue.object([
            "nftAddress": .string(nft.checksummed), "datatokenAddress": .string(datatoken.checksummed), "files": .array(files),
        ]).compactJSON().utf8), to: providerKey.publicKey)
        let document = JSONValue.object([
            "@context": .array([.string("https://w3id.org/did/v1")]), "id": .string(did.text), "version": .string("4.1.0"),
            "chainId": .integer(Int64(chainId)), "nftAddress": .string(nft.checksummed),
            "metadata": .object([
                "created": .string("2026-01-01T00:00:00Z"), "updated": .string("2026-01-01T00:00:00Z"),
                "type": .string("dataset"), "name": .string(name), "description": .string("Published by Sluice's tests"),
                "author": .string("Sluice"), "license": .string("CC0"),
            ]),
            "services": .array([.object([
                "id": .string(serviceId), "type": .string("compute"), "files": .string(Hex.encode(list, prefix: true)),
                "datatokenAddress": .string(datatoken.checksummed), "serviceEndpoint": .string("http://127.0.0.1:8030"),
                "timeout": .integer(Int64(timeout)), "compute": compute,
            ])]),
        ]).compactJSON()
        let publication = try MetadataPublication(document: Array(document.utf8), provider: providerKey.publicKey)
        var proofs: [MetadataProof] = []
        if let proof { proofs.append(try await proof(Array(document.utf8))) }
        let arguments = try publication.setMetaDataArguments(decryptorUrl: "http://127.0.0.1:8030", decryptorAddress: providerKey.address,
                                                             proofs: proofs)
        let receipt = try await retryingNonce { try await publisher().transact(OceanContracts.setMetaData, on: nft, arguments) }
        return ChainAsset(did: did, nft: nft, datatoken: datatoken, serviceId: serviceId, block: receipt.blockNumber)
    }

    /// The owner sets the asset's state (`MetadataState`: 0 active ... 5 unlisted).
    @discardableResult
    public func setMetaDataState(_ state: MetadataState, of nft: EthereumAddress) async throws -> TransactionReceipt {
        try await retryingNonce { try await publisher().transact(OceanContracts.setMetaDataState, on: nft, [.uint(state.rawValue)]) }
    }

    /// What the node under test indexes: this chain from `startBlock`, the harness's factory only.
    public func chainConfig(startBlock: Int) -> ChainConfig {
        ChainConfig(rpcUrl: client.configuration.url, chainId: chainId, nftFactory: factory, startBlock: startBlock)
    }

    func publisher() throws -> TransactionSender {
        TransactionSender(client: client, chainId: chainId, key: try account("publisher").key)
    }
}
