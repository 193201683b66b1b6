/// Recursive Length Prefix, Ethereum's serialisation of transactions: an item is a byte
/// string or a list of items.
public indirect enum RLP: Sendable, Equatable {
    case bytes([UInt8])
    case list([RLP])

    /// An unsigned integer: big-endian without leading zeros, zero as the empty string.
    public static func uint(_ value: UInt256) -> RLP { .bytes(value.minimalBytes) }
    public static func uint(_ value: UInt128) -> RLP { .uint(UInt256(value)) }
    public static func uint(_ value: Int) -> RLP { .uint(UInt256(value)) }

    public var encoded: [UInt8] {
        switch self {
        case .bytes(let b):
            if b.count == 1 && b[0] < 0x80 { return b }
            return Self.header(b.count, short: 0x80) + b
        case .list(let items):
            let body = items.flatMap(\.encoded)
            return Self.header(body.count, short: 0xc0) + body
        }
    }

    /// `short + length` below 56 bytes; else `short + 55 + (bytes of length)` then the length.
    static func header(_ length: Int, short: UInt8) -> [UInt8] {
        if length < 56 { return [short + UInt8(length)] }
        let lengthBytes = UInt256(length).minimalBytes
        return [short + 55 + UInt8(lengthBytes.count)] + lengthBytes
    }
}

public enum RLPError: Error, Equatable {
    case truncated, nonCanonical, trailingBytes
}

extension RLP {
    /// Decodes one item spanning all of `data`.
    public static func decode(_ data: [UInt8]) throws(RLPError) -> RLP {
        var offset = 0
        let item = try decode(data, at: &offset)
        guard offset == data.count else { throw .trailingBytes }
        return item
    }

    static func decode(_ data: [UInt8], at offset: inout Int) throws(RLPError) -> RLP {
        guard offset < data.count else { throw .truncated }
        let prefix = data[offset]
        switch prefix {
        case 0..<0x80:
            offset += 1
            return .bytes([prefix])
        case 0x80..<0xc0:
            let (start, length) = try span(data, offset, prefix: prefix, short: 0x80)
            let bytes = Array(data[start..<start + length])
            if length == 1 && bytes[0] < 0x80 { throw .nonCanonical }
            offset = start + length
            return .bytes(bytes)
        default:
            let (start, length) = try span(data, offset, prefix: prefix, short: 0xc0)
            var items: [RLP] = []
            var inner = start
            while inner < start + length { items.append(try decode(Array(data[..<(start + length)]), at: &inner)) }
            guard inner == start + length else { throw .truncated }
            offset = inner
            return .list(items)
        }
    }

    static func span(_ data: [UInt8], _ offset: Int, prefix: UInt8, short: UInt8) throws(RLPError) -> (Int, Int) {
        if prefix < short + 56 {
            let length = Int(prefix - short)
            guard offset + 1 + length <= data.count else { throw .truncated }
            return (offset + 1, length)
        }
        let lengthOfLength = Int(prefix - short - 55)
        guard lengthOfLength <= 4, offset + 1 + lengthOfLength <= data.count else { throw .truncated }
        let lengthBytes = data[(offset + 1)..<(offset + 1 + lengthOfLength)]
        guard lengthBytes.first != 0 else { throw .nonCanonical }
        let length = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
        guard length >= 56 else { throw .nonCanonical }
        let start = offset + 1 + lengthOfLength
        guard start + length <= data.count else { throw .truncated }
        return (start, length)
    }
}
