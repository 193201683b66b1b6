import SluiceCore
import SluiceCrypto

extension MetadataIndexer {
    /// With `allowedValidators` set, a document counts only when the transaction that set it
    /// carries a `MetadataValidated` proof from the same NFT, for this document's hash,
    /// signed by an allowed validator. The signature is checked here again: an NFT outside
    /// the factory, or a zero validator, gets no check from the contract.
    func requireProof(for log: EVMLog, hash: [UInt8]) async throws {
        guard let receipt = try await client.transactionReceipt(log.transactionHash) else {
            throw Skip(description: "its transaction has no receipt")
        }
        let event = OceanContracts.metadataValidated
        let proven = receipt.logs.contains { proof in
            guard !proof.removed, proof.address == log.address, proof.topics.first == event.topic,
                  let v = try? event.decode(topics: proof.topics, data: proof.data),
                  let validator = v["validator"]?.addressValue, config.allowedValidators.contains(validator),
                  v["metaDataHash"]?.bytesValue == hash,
                  let r = v["r"]?.bytesValue, let s = v["s"]?.bytesValue, let recovery = v["v"]?.uintValue?.int,
                  (0...255).contains(recovery),
                  let signature = try? RecoverableSignature(rsv: r + s + [UInt8(recovery)]),
                  let signer = try? PersonalSign.recoverSigner(ofHash: hash, signature: signature) else { return false }
            return signer == validator
        }
        guard proven else { throw Skip(description: "it carries no MetadataValidated proof from an allowed validator") }
    }
}
