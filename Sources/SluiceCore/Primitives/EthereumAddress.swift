/// A 20-byte Ethereum account address.
///
/// Parsing accepts any letter case (Ocean's clients send both checksummed and
/// lowercase text); equality is on the bytes, so comparisons are case-insensitive.
/// The EIP-55 checksummed form needs Keccak-256 and lives in SluiceCrypto.
public struct EthereumAddress: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 20 else { return nil }
        self.bytes = bytes
    }

    /// The last 20 bytes of `bytes` (left-padded with zeros when shorter): how an
    /// address is cut from a 32-byte hash or ABI word.
    public init(suffixOf bytes: [UInt8]) {
        let tail = bytes.suffix(20)
        self.bytes = [UInt8](repeating: 0, count: 20 - tail.count) + tail
    }

    /// `0x000…0`: "none" in Ocean's contract arguments (no fee token, no market).
    public static let zero = EthereumAddress(suffixOf: [])

    /// Parses `0x` followed by exactly 40 hex digits.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count == 42, text.hasPrefix("0x") || text.hasPrefix("0X"),
              let bytes = Hex.decode(text) else { return nil }
        self.bytes = bytes
    }

    /// `0x` + 40 lowercase hex digits: the canonical key for storage.
    public var lowercased: String { Hex.encode(bytes, prefix: true) }

    public var description: String { lowercased }
}
