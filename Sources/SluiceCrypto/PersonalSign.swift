public import SluiceCore

/// Ethereum's personal-sign scheme as Ocean's provider applies it (contract section 2):
/// `hash = keccak256(utf8(message + nonce))`, `digest = keccak256("\x19Ethereum Signed Message:\n32" || hash)`.
public enum PersonalSign {
    private static let prefix: [UInt8] = Array("\u{19}Ethereum Signed Message:\n32".utf8)

    /// keccak256 of the UTF-8 text.
    public static func messageHash(_ text: String) -> [UInt8] { Keccak256.hash(text.utf8) }

    /// The EIP-191 digest of a 32-byte hash: what the key actually signs.
    public static func digest(ofHash hash: [UInt8]) -> [UInt8] {
        Keccak256.hash(prefix + hash)
    }

    /// The digest for `message + nonce`, the nonce written as sent.
    public static func digest(message: String, nonce: Nonce) -> [UInt8] {
        digest(ofHash: messageHash(message + nonce.text))
    }

    public static func sign(message: String, nonce: Nonce, key: PrivateKey) -> RecoverableSignature {
        key.sign(digest: digest(message: message, nonce: nonce))
    }

    /// The address that signed `message + nonce`.
    public static func recoverSigner(message: String, nonce: Nonce, signature: RecoverableSignature) throws(SignatureError) -> EthereumAddress {
        try PublicKey.recover(digest: digest(message: message, nonce: nonce), signature: signature).address
    }

    /// The address that signed a 32-byte hash under the personal-sign prefix.
    public static func recoverSigner(ofHash hash: [UInt8], signature: RecoverableSignature) throws(SignatureError) -> EthereumAddress {
        try PublicKey.recover(digest: digest(ofHash: hash), signature: signature).address
    }
}
