import SluiceCore

/// An unsigned 256-bit integer as the EVM holds it: 32 big-endian bytes. Sluice only
/// does arithmetic on amounts that fit `UInt128`, so this type carries the word and
/// converts, and never computes.
public struct UInt256: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Exactly 32 bytes, big-endian.
    public let word: [UInt8]

    public static let zero = UInt256(0)
    public static let max = UInt256(uncheckedWord: [UInt8](repeating: 0xff, count: 32))

    public init?(word: [UInt8]) {
        guard word.count == 32 else { return nil }
        self.word = word
    }

    private init(uncheckedWord: [UInt8]) { word = uncheckedWord }

    public init(_ value: UInt128) {
        var word = [UInt8](repeating: 0, count: 32)
        var v = value
        for i in (16..<32).reversed() {
            word[i] = UInt8(truncatingIfNeeded: v)
            v >>= 8
        }
        self.word = word
    }

    public init(_ value: Int) { self.init(UInt128(Swift.max(value, 0))) }

    /// Big-endian bytes of at most 32, left-padded.
    public init?(bigEndian bytes: [UInt8]) {
        let trimmed = Array(bytes.drop(while: { $0 == 0 }))
        guard trimmed.count <= 32 else { return nil }
        word = [UInt8](repeating: 0, count: 32 - trimmed.count) + trimmed
    }

    /// A JSON-RPC quantity (`0x` hex without leading zeros) or any `0x` hex of at most 64 digits.
    public init?(hexQuantity text: String) {
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else { return nil }
        var digits = String(text.dropFirst(2))
        guard !digits.isEmpty, digits.count <= 64 else { return nil }
        if digits.count % 2 == 1 { digits = "0" + digits }
        guard let bytes = Hex.decode(digits) else { return nil }
        self.init(bigEndian: bytes)
    }

    /// Parses a decimal integer of up to 78 digits, e.g. a wei amount.
    public init?(decimal text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.count <= 78, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        var word = [UInt8](repeating: 0, count: 32)
        for digit in text.utf8 {
            // word = word * 10 + digit, byte by byte from the low end.
            var carry = UInt16(digit - 48)
            for i in (0..<32).reversed() {
                let v = UInt16(word[i]) * 10 + carry
                word[i] = UInt8(truncatingIfNeeded: v)
                carry = v >> 8
            }
            guard carry == 0 else { return nil }
        }
        self.word = word
    }

    /// The value when it fits 128 bits.
    public var uint128: UInt128? {
        guard word[0..<16].allSatisfy({ $0 == 0 }) else { return nil }
        return word[16..<32].reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }

    /// The value when it fits `Int`.
    public var int: Int? {
        guard let v = uint128, v <= UInt128(Int.max) else { return nil }
        return Int(v)
    }

    /// Minimal big-endian bytes (empty for zero), as RLP writes integers.
    public var minimalBytes: [UInt8] { Array(word.drop(while: { $0 == 0 })) }

    public var hexQuantity: String {
        let hex = Hex.encode(minimalBytes)
        let trimmed = hex.drop(while: { $0 == "0" })
        return "0x" + (trimmed.isEmpty ? "0" : trimmed)
    }

    /// Decimal text.
    public var description: String {
        var digits: [UInt8] = []
        var value = word
        while value.contains(where: { $0 != 0 }) {
            var remainder: UInt16 = 0
            for i in 0..<32 {
                let v = remainder << 8 | UInt16(value[i])
                value[i] = UInt8(v / 10)
                remainder = v % 10
            }
            digits.append(UInt8(remainder) + 48)
        }
        return digits.isEmpty ? "0" : String(decoding: digits.reversed(), as: UTF8.self)
    }

    public static func < (a: UInt256, b: UInt256) -> Bool { a.word.lexicographicallyPrecedes(b.word) }
}
