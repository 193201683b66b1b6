public import SluiceCore

/// A value of an `ABIType`.
public indirect enum ABIValue: Sendable, Equatable {
    case uint(UInt256)
    case address(EthereumAddress)
    case bool(Bool)
    case fixedBytes([UInt8])
    case bytes([UInt8])
    case string(String)
    case array([ABIValue])
    case tuple([ABIValue])

    public static func uint(_ v: Int) -> ABIValue { .uint(UInt256(v)) }

    public var uintValue: UInt256? { if case .uint(let v) = self { return v } else { return nil } }
    public var addressValue: EthereumAddress? { if case .address(let v) = self { return v } else { return nil } }
    public var boolValue: Bool? { if case .bool(let v) = self { return v } else { return nil } }
    public var bytesValue: [UInt8]? {
        switch self {
        case .bytes(let v), .fixedBytes(let v): return v
        default: return nil
        }
    }
    public var stringValue: String? { if case .string(let v) = self { return v } else { return nil } }
    public var arrayValue: [ABIValue]? {
        switch self {
        case .array(let v), .tuple(let v): return v
        default: return nil
        }
    }
}
