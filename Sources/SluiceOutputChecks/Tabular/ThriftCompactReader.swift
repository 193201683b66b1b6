/// Reads Thrift's compact protocol, the encoding of a Parquet file's footer, from bytes
/// an algorithm wrote: every length, count and nesting is checked against the bytes
/// there are, so a hostile footer ends in `Malformed`, never in a crash or a long loop.
struct ThriftCompactReader {
    struct Malformed: Error {}

    /// The compact protocol's type codes.
    enum FieldType: UInt8 {
        case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6
        case double = 7, binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    /// Nested structs and containers deeper than this are refused (Parquet's own footers
    /// nest a few levels).
    static let maxDepth = 32

    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw Malformed() }
        defer { position += 1 }
        return bytes[position]
    }

    /// An unsigned LEB128 varint of at most 64 bits.
    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            let b = try byte()
            value |= UInt64(b & 0x7F) << UInt64(shift)
            if b & 0x80 == 0 { return value }
        }
        throw Malformed()
    }

    /// A zigzag-encoded signed integer (i16, i32 and i64 all are).
    mutating func integer() throws -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A binary or string's bytes.
    mutating func binary() throws -> ArraySlice<UInt8> {
        let length = try varint()
        guard length <= UInt64(bytes.count - position) else { throw Malformed() }
        let start = position
        position += Int(length)
        return bytes[start..<position]
    }

    /// The next field's id and type in a struct whose last field id was `last`; nil at its end.
    mutating func fieldHeader(after last: Int16) throws -> (id: Int16, type: FieldType)? {
        let header = try byte()
        guard let type = FieldType(rawValue: header & 0x0F) else { throw Malformed() }
        if type == .stop { return nil }
        let delta = header >> 4
        if delta != 0 { return (last &+ Int16(delta), type) }
        let id = try integer()
        guard let id16 = Int16(exactly: id) else { throw Malformed() }
        return (id16, type)
    }

    /// A list's or set's element type and count; the count is bounded by the bytes left
    /// (every element takes at least one byte).
    mutating func listHeader() throws -> (type: FieldType, count: Int) {
        let header = try byte()
        guard let type = FieldType(rawValue: header & 0x0F), type != .stop else { throw Malformed() }
        var count = UInt64(header >> 4)
        if count == 15 { count = try varint() }
        guard count <= UInt64(bytes.count - position) else { throw Malformed() }
        return (type, Int(count))
    }

    /// Skips one value of `type`.
    mutating func skip(_ type: FieldType, depth: Int = 0) throws {
        guard depth < Self.maxDepth else { throw Malformed() }
        switch type {
        case .stop:
            throw Malformed()
        case .boolTrue, .boolFalse:
            // A field's boolean is in its header; a list's takes a byte of its own,
            // which `skipElements` reads.
            return
        case .byte:
            _ = try byte()
        case .i16, .i32, .i64:
            _ = try varint()
        case .double:
            guard bytes.count - position >= 8 else { throw Malformed() }
            position += 8
        case .binary:
            _ = try binary()
        case .list, .set:
            let (element, count) = try listHeader()
            try skipElements(element, count: count, depth: depth + 1)
        case .map:
            let count = try varint()
            guard count > 0 else { return }
            guard count <= UInt64(bytes.count - position) else { throw Malformed() }
            let types = try byte()
            guard let key = FieldType(rawValue: types >> 4), let value = FieldType(rawValue: types & 0x0F) else { throw Malformed() }
            for _ in 0..<count {
                try skipElement(key, depth: depth + 1)
                try skipElement(value, depth: depth + 1)
            }
        case .structure:
            try skipStruct(depth: depth + 1)
        }
    }

    /// Skips the rest of a struct, up to and including its stop byte.
    mutating func skipStruct(depth: Int = 0) throws {
        var last: Int16 = 0
        while let (id, type) = try fieldHeader(after: last) {
            try skip(type, depth: depth)
            last = id
        }
    }

    private mutating func skipElements(_ type: FieldType, count: Int, depth: Int) throws {
        for _ in 0..<count { try skipElement(type, depth: depth) }
    }

    /// An element of a container: booleans take a byte there.
    private mutating func skipElement(_ type: FieldType, depth: Int) throws {
        if type == .boolTrue || type == .boolFalse { _ = try byte() } else { try skip(type, depth: depth) }
    }
}
