public import SluiceCore
public import SluiceCrypto

extension MetadataProof {
    /// The node's proof for the exact bytes of a DDO it found valid.
    public static func sign(document: [UInt8], key: PrivateKey) -> MetadataProof {
        let hash = SHA256Hex.digest(of: document)
        let signature = key.sign(digest: PersonalSign.digest(ofHash: hash))
        return MetadataProof(hash: Hex.encode(hash, prefix: true), publicKey: key.address.checksummed, v: signature.v,
                             r: [Hex.encode(signature.r, prefix: true)], s: [Hex.encode(signature.s, prefix: true)])
    }
}
