public import SluiceCore
public import SluiceCrypto

/// The arguments of `setMetaData` for a DDO, made as ocean-lib makes them: the compact JSON
/// xz-compressed, then ECIES-encrypted to the provider's public key (flags 3), with the
/// SHA-256 of the JSON as `metaDataHash`.
public struct MetadataPublication: Sendable {
    public var flags: UInt8
    public var data: [UInt8]
    public var hash: [UInt8]

    public init(document: [UInt8], provider: PublicKey, compress: Bool = true, encrypt: Bool = true) throws {
        var body = document
        if compress { body = try XZ.compress(body) }
        if encrypt { body = try ECIES.encrypt(body, to: provider) }
        flags = (compress ? 1 : 0) | (encrypt ? 2 : 0)
        data = body
        guard let digest = Hex.decode(SHA256Hex.of(document)) else { throw XZ.Failure(description: "sha256 failed") }
        hash = digest
    }

    /// A document sealed elsewhere, e.g. by the provider's `/api/services/encrypt` (a
    /// client does not hold the provider's public key, only its address).
    public init(flags: UInt8, data: [UInt8], document: [UInt8]) {
        self.flags = flags
        self.data = data
        hash = Hex.decode(SHA256Hex.of(document)) ?? []
    }

    /// `setMetaData(state 0, decryptorUrl, decryptorAddress, flags, data, hash, proofs)`; a
    /// proof is a metadata cache's answer to validate for this document's bytes.
    public func setMetaDataArguments(decryptorUrl: String, decryptorAddress: EthereumAddress,
                                     proofs: [MetadataProof] = []) throws(ProofError) -> [ABIValue] {
        [.uint(0), .string(decryptorUrl), .string(decryptorAddress.checksummed), .bytes([flags]), .bytes(data),
         .fixedBytes(hash), .array(try proofs.map { proof throws(ProofError) in try Self.argument(proof, for: hash) })]
    }

    public struct ProofError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `(validatorAddress, v, r, s)`, refused unless the proof is for exactly this document.
    static func argument(_ proof: MetadataProof, for hash: [UInt8]) throws(ProofError) -> ABIValue {
        guard proof.hash.lowercased() == Hex.encode(hash, prefix: true) else {
            throw ProofError(description: "the metadata proof is for another document (hash \(proof.hash.prefix(18))…)")
        }
        guard let validator = EthereumAddress(proof.publicKey), (0...255).contains(proof.v),
              let r = proof.r.first.flatMap({ Hex.decode($0) }), r.count == 32,
              let s = proof.s.first.flatMap({ Hex.decode($0) }), s.count == 32 else {
            throw ProofError(description: "the metadata proof is malformed")
        }
        return .tuple([.address(validator), .uint(proof.v), .fixedBytes(r), .fixedBytes(s)])
    }
}
