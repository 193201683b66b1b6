import Foundation
import SluiceCore
@testable import SluiceEVM

/// The committed vectors (Fixtures/generate-vectors.py wrote them with rlp, eth_abi and
/// eth_account).
enum Vectors {
    static func load() throws -> JSONValue {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/evm-vectors.json")
        return try JSONValue.parse(Array(try Data(contentsOf: url)))
    }

    struct Bad: Error, CustomStringConvertible { let description: String }

    static func rlp(_ v: JSONValue) throws -> RLP {
        if let list = v.arrayValue { return .list(try list.map(rlp)) }
        guard let s = v.stringValue, let b = Hex.decode(s) else { throw Bad(description: "rlp item \(v)") }
        return .bytes(b)
    }

    /// `uint256`, `address[]`, `(address,uint8)[]`, ...
    static func type(_ text: Substring) throws -> ABIType {
        if text.hasSuffix("[]") { return .array(try type(text.dropLast(2))) }
        if text.hasPrefix("(") {
            var parts: [Substring] = []
            var depth = 0
            var start = text.index(after: text.startIndex)
            let end = text.index(before: text.endIndex)
            var i = start
            while i < end {
                switch text[i] {
                case "(": depth += 1
                case ")": depth -= 1
                case "," where depth == 0: parts.append(text[start..<i]); start = text.index(after: i)
                default: break
                }
                i = text.index(after: i)
            }
            parts.append(text[start..<end])
            return .tuple(try parts.map(type))
        }
        switch text {
        case "address": return .address
        case "bool": return .bool
        case "bytes": return .bytes
        case "string": return .string
        default:
            if text.hasPrefix("uint"), let bits = Int(text.dropFirst(4)) { return .uint(bits: bits) }
            if text.hasPrefix("bytes"), let n = Int(text.dropFirst(5)) { return .fixedBytes(n) }
            throw Bad(description: "type \(text)")
        }
    }

    static func value(_ v: JSONValue, as t: ABIType) throws -> ABIValue {
        switch t {
        case .uint:
            guard let s = v.stringValue, let u = UInt256(decimal: s) else { throw Bad(description: "uint \(v)") }
            return .uint(u)
        case .address:
            guard let s = v.stringValue, let a = EthereumAddress(s) else { throw Bad(description: "address \(v)") }
            return .address(a)
        case .bool:
            guard let b = v.boolValue else { throw Bad(description: "bool \(v)") }
            return .bool(b)
        case .fixedBytes, .bytes:
            guard let s = v.stringValue, let b = Hex.decode(s) else { throw Bad(description: "bytes \(v)") }
            if case .bytes = t { return .bytes(b) }
            return .fixedBytes(b)
        case .string:
            guard let s = v.stringValue else { throw Bad(description: "string \(v)") }
            return .string(s)
        case .array(let element):
            return .array(try (v.arrayValue ?? []).map { try value($0, as: element) })
        case .tuple(let parts):
            let items = v.arrayValue ?? []
            guard items.count == parts.count else { throw Bad(description: "tuple \(v)") }
            return .tuple(try zip(parts, items).map { try value($1, as: $0) })
        }
    }

    static func uint128(_ v: JSONValue?) throws -> UInt128 {
        if let i = v?.int64Value { return UInt128(i) }
        guard let s = v?.stringValue, let u = UInt256(decimal: s)?.uint128 else { throw Bad(description: "number \(String(describing: v))") }
        return u
    }
}
