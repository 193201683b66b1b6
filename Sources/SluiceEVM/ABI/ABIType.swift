/// The Solidity ABI types Sluice reads and writes (Ocean's calls and events use no others).
public indirect enum ABIType: Sendable, Equatable, CustomStringConvertible {
    case uint(bits: Int)
    case address
    case bool
    /// `bytes1` ... `bytes32`.
    case fixedBytes(Int)
    case bytes
    case string
    case array(ABIType)
    case tuple([ABIType])

    public static let uint256 = ABIType.uint(bits: 256)
    public static let uint8 = ABIType.uint(bits: 8)
    public static let bytes32 = ABIType.fixedBytes(32)

    /// A type whose encoding has no fixed size and goes in the tail.
    public var isDynamic: Bool {
        switch self {
        case .bytes, .string, .array: return true
        case .tuple(let parts): return parts.contains(where: \.isDynamic)
        default: return false
        }
    }

    /// Bytes the head of a static type takes.
    var headSize: Int {
        if case .tuple(let parts) = self, !isDynamic { return parts.reduce(0) { $0 + $1.headSize } }
        return 32
    }

    /// The canonical name used in signatures, e.g. `(address,uint8,bytes32)[]`.
    public var description: String {
        switch self {
        case .uint(let bits): return "uint\(bits)"
        case .address: return "address"
        case .bool: return "bool"
        case .fixedBytes(let n): return "bytes\(n)"
        case .bytes: return "bytes"
        case .string: return "string"
        case .array(let t): return "\(t)[]"
        case .tuple(let parts): return "(" + parts.map(\.description).joined(separator: ",") + ")"
        }
    }
}
