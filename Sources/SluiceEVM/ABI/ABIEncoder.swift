import SluiceCore

public enum ABIError: Error, Equatable, CustomStringConvertible {
    case typeMismatch(String)
    case truncated(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .typeMismatch(let what): return "ABI value does not match its type: \(what)"
        case .truncated(let what): return "ABI data is too short for \(what)"
        case .invalid(let what): return "ABI data is invalid: \(what)"
        }
    }
}

/// Solidity's contract ABI encoding: a head of 32-byte words, with offsets to the tail for
/// dynamic values.
public enum ABIEncoder {
    /// The arguments of a call (a tuple of `values`).
    public static func encode(_ values: [ABIValue], as types: [ABIType]) throws(ABIError) -> [UInt8] {
        guard values.count == types.count else { throw .typeMismatch("\(values.count) values for \(types.count) types") }
        let heads = try zip(types, values).map { (t, v) throws(ABIError) -> (ABIType, [UInt8]) in (t, try encode(v, as: t)) }
        var headLength = 0
        for (t, _) in heads { headLength += t.isDynamic ? 32 : t.headSize }
        var head: [UInt8] = []
        var tail: [UInt8] = []
        for (t, encoded) in heads {
            if t.isDynamic {
                head += UInt256(headLength + tail.count).word
                tail += encoded
            } else {
                head += encoded
            }
        }
        return head + tail
    }

    /// One value: its full encoding (for a dynamic type, what goes in the tail).
    public static func encode(_ value: ABIValue, as type: ABIType) throws(ABIError) -> [UInt8] {
        switch (type, value) {
        case (.uint(let bits), .uint(let v)):
            if bits < 256 {
                let used = 256 - v.word.prefix(while: { $0 == 0 }).count * 8
                guard used <= bits else { throw .typeMismatch("\(v) does not fit uint\(bits)") }
            }
            return v.word
        case (.address, .address(let a)):
            return [UInt8](repeating: 0, count: 12) + a.bytes
        case (.bool, .bool(let b)):
            return UInt256(b ? 1 : 0).word
        case (.fixedBytes(let n), .fixedBytes(let b)):
            guard b.count == n else { throw .typeMismatch("bytes\(n) given \(b.count) bytes") }
            return b + [UInt8](repeating: 0, count: 32 - n)
        case (.bytes, .bytes(let b)):
            return UInt256(b.count).word + padded(b)
        case (.string, .string(let s)):
            let b = Array(s.utf8)
            return UInt256(b.count).word + padded(b)
        case (.array(let element), .array(let items)):
            return UInt256(items.count).word
                + (try encode(items, as: [ABIType](repeating: element, count: items.count)))
        case (.tuple(let parts), .tuple(let items)):
            return try encode(items, as: parts)
        default:
            throw .typeMismatch("\(value) as \(type)")
        }
    }

    static func padded(_ b: [UInt8]) -> [UInt8] {
        let rest = b.count % 32
        return rest == 0 ? b : b + [UInt8](repeating: 0, count: 32 - rest)
    }
}
