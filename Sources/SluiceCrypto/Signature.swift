import SluiceCore

/// Why signature text could not be used.
public enum SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    case notHex
    case wrongLength(Int)
    case badRecoveryByte(UInt8)
    case unrecoverable

    public var description: String {
        switch self {
        case .notHex: return "signature is not valid hex"
        case .wrongLength(let n): return "signature must be 65 bytes (r || s || v), got \(n)"
        case .badRecoveryByte(let v): return "signature recovery byte v must be 0, 1, 27 or 28, got \(v)"
        case .unrecoverable: return "no public key can be recovered from this signature"
        }
    }
}

/// A recoverable ECDSA signature: 64 bytes `r || s` and a recovery id of 0 or 1.
public struct RecoverableSignature: Sendable, Equatable {
    /// `r || s`, 32 bytes each, big-endian.
    public let compact: [UInt8]
    public let recoveryID: Int32

    public init(compact: [UInt8], recoveryID: Int32) {
        precondition(compact.count == 64 && (0...1).contains(recoveryID))
        self.compact = compact
        self.recoveryID = recoveryID
    }

    /// Parses 65 bytes `r || s || v` with `v` in {0, 1, 27, 28}.
    public init(rsv bytes: [UInt8]) throws(SignatureError) {
        guard bytes.count == 65 else { throw .wrongLength(bytes.count) }
        let v = bytes[64]
        switch v {
        case 0, 1: recoveryID = Int32(v)
        case 27, 28: recoveryID = Int32(v - 27)
        default: throw .badRecoveryByte(v)
        }
        compact = Array(bytes[0..<64])
    }

    /// Parses hex text, with or without `0x`.
    public init(hex: String) throws(SignatureError) {
        guard let bytes = Hex.decode(hex) else { throw .notHex }
        try self.init(rsv: bytes)
    }

    /// `r || s || v` with `v` as 27 or 28, the form `eth_account` prints.
    public var rsv: [UInt8] { compact + [UInt8(27 + recoveryID)] }

    public var hex: String { Hex.encode(rsv, prefix: true) }
    public var r: [UInt8] { Array(compact[0..<32]) }
    public var s: [UInt8] { Array(compact[32..<64]) }
    public var v: Int { 27 + Int(recoveryID) }
}
