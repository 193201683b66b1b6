import SluiceCore
import SluiceCrypto

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

    /// `setMetaData(state 0, decryptorUrl, decryptorAddress, flags, data, hash, no proofs)`.
    public func setMetaDataArguments(decryptorUrl: String, decryptorAddress: EthereumAddress) -> [ABIValue] {
        [.uint(0), .string(decryptorUrl), .string(decryptorAddress.checksummed), .bytes([flags]), .bytes(data),
         .fixedBytes(hash), .array([])]
    }
}
