import Foundation
public import SluiceCore
public import SluiceCrypto

/// A key that signs requests: a user of the node (Alice publishing, Bob computing).
public struct Wallet: Sendable {
    public let key: PrivateKey

    public init(key: PrivateKey) { self.key = key }

    /// A new random key.
    public static func create() -> Wallet { Wallet(key: .generate()) }

    /// A key from 64 hex digits, with or without `0x`.
    public static func importKey(hex: String) throws(ClientError) -> Wallet {
        let trimmed = hex.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = PrivateKey(hex: trimmed) else {
            throw .invalidInput("That is not a private key: expected 64 hex digits.")
        }
        return Wallet(key: key)
    }

    public var address: EthereumAddress { key.address }
    /// The EIP-55 address, as the node signs and compares it.
    public var checksummed: String { key.address.checksummed }

    /// Personal-sign over `message + nonce`, as every signed request of the node expects.
    func sign(_ message: String, nonce: Nonce) -> String {
        PersonalSign.sign(message: message, nonce: nonce, key: key).hex
    }

    /// Personal-sign over keccak256 of `message`, the nonce already inside it (ocean-node's commands).
    func signWhole(_ message: String) -> String {
        key.sign(digest: PersonalSign.digest(ofHash: PersonalSign.messageHash(message))).hex
    }
}
