import CSecp256k1
public import SluiceCore

/// A secp256k1 private key. Its bytes are never printed: `description`, `debugDescription`
/// and reflection all show a placeholder, so a key cannot reach a log by accident.
public struct PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The 32 secret bytes. Use only to store the key.
    public let secretBytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32,
              secp256k1_ec_seckey_verify(Secp256k1Context.shared.pointer, bytes) == 1 else { return nil }
        self.secretBytes = bytes
    }

    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    /// A fresh key from the system's cryptographic random source.
    public static func generate() -> PrivateKey {
        var rng = SystemRandomNumberGenerator()
        while true {
            var bytes = [UInt8](repeating: 0, count: 32)
            for i in bytes.indices { bytes[i] = rng.next() }
            if let key = PrivateKey(bytes: bytes) { return key }
        }
    }

    public var publicKey: PublicKey {
        var pub = secp256k1_pubkey()
        // Cannot fail: the secret was verified in init.
        _ = secp256k1_ec_pubkey_create(Secp256k1Context.shared.pointer, &pub, secretBytes)
        return PublicKey(pub)
    }

    public var address: EthereumAddress { publicKey.address }

    /// Signs a 32-byte digest (RFC 6979 nonces, low-s).
    public func sign(digest: [UInt8]) -> RecoverableSignature {
        precondition(digest.count == 32, "sign(digest:) takes a 32-byte digest")
        var sig = secp256k1_ecdsa_recoverable_signature()
        _ = secp256k1_ecdsa_sign_recoverable(Secp256k1Context.shared.pointer, &sig, digest, secretBytes, nil, nil)
        var compact = [UInt8](repeating: 0, count: 64)
        var recid: Int32 = 0
        _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(
            Secp256k1Context.shared.pointer, &compact, &recid, &sig)
        return RecoverableSignature(compact: compact, recoveryID: recid)
    }

    public var description: String { "PrivateKey(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// A secp256k1 public key.
public struct PublicKey: Sendable, Equatable {
    /// The 64-byte uncompressed point `x || y`, without the 0x04 prefix.
    public let raw: [UInt8]

    init(_ key: secp256k1_pubkey) {
        var key = key
        var out = [UInt8](repeating: 0, count: 65)
        var length = 65
        _ = secp256k1_ec_pubkey_serialize(
            Secp256k1Context.shared.pointer, &out, &length, &key, UInt32(SECP256K1_EC_UNCOMPRESSED))
        raw = Array(out[1..<65])
    }

    /// Parses a 64-byte `x || y` or a 65-byte `0x04 || x || y` or 33-byte compressed key.
    public init?(bytes: [UInt8]) {
        let input = bytes.count == 64 ? [0x04] + bytes : bytes
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Secp256k1Context.shared.pointer, &key, input, input.count) == 1 else {
            return nil
        }
        self.init(key)
    }

    /// 33-byte SEC1 compressed form.
    public var compressed: [UInt8] {
        let yIsOdd = raw[63] & 1 == 1
        return [yIsOdd ? 0x03 : 0x02] + raw[0..<32]
    }

    /// Last 20 bytes of keccak256 of the 64-byte point.
    public var address: EthereumAddress {
        EthereumAddress(suffixOf: Keccak256.hash(raw))
    }

    /// Recovers the key that made `signature` over a 32-byte digest.
    public static func recover(digest: [UInt8], signature: RecoverableSignature) throws(SignatureError) -> PublicKey {
        guard digest.count == 32 else { throw .unrecoverable }
        let ctx = Secp256k1Context.shared.pointer
        var sig = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, signature.compact, signature.recoveryID) == 1 else {
            throw .unrecoverable
        }
        var pub = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(ctx, &pub, &sig, digest) == 1 else { throw .unrecoverable }
        return PublicKey(pub)
    }
}
