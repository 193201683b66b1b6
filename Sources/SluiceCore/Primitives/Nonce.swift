/// A request nonce as the client sent it.
///
/// Ocean's clients send small integers (`ceil(last) + 1`) or millisecond timestamps;
/// both fit an unsigned 64-bit integer. The text is kept as sent because it is part of
/// the signed message.
public struct Nonce: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: UInt64
    /// The digits exactly as received: the signed message is built from these.
    public let text: String

    /// The largest nonce accepted: nonces are stored as signed 64-bit integers.
    public static let maxValue = UInt64(Int64.max)

    /// Accepts a non-negative decimal integer up to `maxValue`, without sign,
    /// optionally with leading zeros (kept in `text`).
    public init?(text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.count <= 20,
              text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = UInt64(text), value <= Self.maxValue else { return nil }
        self.value = value
        self.text = String(text)
    }

    public init(_ value: UInt64) {
        self.value = min(value, Self.maxValue)
        self.text = String(self.value)
    }

    public static func < (lhs: Nonce, rhs: Nonce) -> Bool { lhs.value < rhs.value }
    public static func == (lhs: Nonce, rhs: Nonce) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
    public var description: String { text }
}
