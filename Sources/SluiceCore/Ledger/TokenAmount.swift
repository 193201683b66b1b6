/// An amount of an ERC-20-style token in its smallest unit (wei: 10^-18 token).
/// Written as a decimal string on the wire and in the database, as Ethereum tools do.
public struct TokenAmount: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let wei: UInt128

    public init(wei: UInt128) { self.wei = wei }

    public static let zero = TokenAmount(wei: 0)
    public static let weiPerToken: UInt128 = 1_000_000_000_000_000_000

    /// Whole tokens, e.g. `tokens(5)` is 5 × 10^18 wei. Nil on overflow.
    public static func tokens(_ count: UInt64) -> TokenAmount? {
        let (value, overflow) = UInt128(count).multipliedReportingOverflow(by: weiPerToken)
        return overflow ? nil : TokenAmount(wei: value)
    }

    /// Parses a non-negative decimal integer of wei (at most 38 digits).
    public init?(weiText: some StringProtocol) {
        guard !weiText.isEmpty, weiText.utf8.count <= 38,
              weiText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let value = UInt128(weiText) else { return nil }
        wei = value
    }

    public var description: String { String(wei) }

    public static func < (a: TokenAmount, b: TokenAmount) -> Bool { a.wei < b.wei }

    public func adding(_ other: TokenAmount) -> TokenAmount? {
        let (sum, overflow) = wei.addingReportingOverflow(other.wei)
        return overflow ? nil : TokenAmount(wei: sum)
    }

    public func subtracting(_ other: TokenAmount) -> TokenAmount? {
        other.wei > wei ? nil : TokenAmount(wei: wei - other.wei)
    }

    /// The 32-byte big-endian word of ABI `uint256`.
    public var uint256Word: [UInt8] {
        var word = [UInt8](repeating: 0, count: 32)
        var v = wei
        for i in (16..<32).reversed() {
            word[i] = UInt8(truncatingIfNeeded: v)
            v >>= 8
        }
        return word
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let text = try? c.decode(String.self), let amount = TokenAmount(weiText: text) {
            self = amount
        } else if let int = try? c.decode(UInt64.self) {
            self = TokenAmount(wei: UInt128(int))
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a token amount in wei")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
