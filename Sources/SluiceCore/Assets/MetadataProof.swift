/// The answer of `POST /api/aquarius/assets/ddo/validate` for a valid DDO, in Aquarius's
/// shapes: the sha256 of the exact bytes posted, and the validator's personal-sign
/// signature over it, which Ocean's ERC721Template checks in `setMetaData`'s
/// `metadataProofs` (`ecrecover(keccak256("\x19Ethereum Signed Message:\n32" ‖ hash))`)
/// before it emits `MetadataValidated`. Shared by the node and the SDK.
public struct MetadataProof: Codable, Sendable, Equatable {
    /// `0x` + 64 hex digits.
    public let hash: String
    /// The validator's address.
    public let publicKey: String
    public let v: Int
    // Aquarius answers r and s as one-element lists; ocean-lib reads `r[0]` and `s[0]`.
    public let r: [String]
    public let s: [String]

    public init(hash: String, publicKey: String, v: Int, r: [String], s: [String]) {
        self.hash = hash
        self.publicKey = publicKey
        self.v = v
        self.r = r
        self.s = s
    }
}
