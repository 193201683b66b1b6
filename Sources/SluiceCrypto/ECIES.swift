import CSecp256k1
import Crypto
import Foundation
import SluiceCore

/// ECIES over secp256k1, byte-compatible with the `eciespy`/`eciesjs` libraries Ocean's
/// provider and node use for `/api/services/encrypt`:
/// `ephemeral public key (65, uncompressed) || nonce (16) || tag (16) || ciphertext`,
/// AES-256-GCM keyed by HKDF-SHA256(ephemeral key || shared point, both uncompressed).
public enum ECIES {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case tooShort
        case badEphemeralKey
        case authenticationFailed

        public var description: String {
            switch self {
            case .tooShort: return "ciphertext is too short to be ECIES"
            case .badEphemeralKey: return "ciphertext does not start with a valid public key"
            case .authenticationFailed: return "ciphertext was not encrypted to this key or was altered"
            }
        }
    }

    static let nonceLength = 16
    static let tagLength = 16
    static let ephemeralKeyLength = 65

    public static func encrypt(_ plaintext: [UInt8], to recipient: PublicKey) throws -> [UInt8] {
        let ephemeral = PrivateKey.generate()
        let ephemeralPublic = [0x04] + ephemeral.publicKey.raw
        guard let shared = sharedPoint(recipient, ephemeral) else { throw Failure.badEphemeralKey }
        let key = deriveKey(ephemeralPublic: ephemeralPublic, shared: shared)
        var nonceBytes = [UInt8](repeating: 0, count: nonceLength)
        var rng = SystemRandomNumberGenerator()
        for i in nonceBytes.indices { nonceBytes[i] = rng.next() }
        let nonce = try AES.GCM.Nonce(data: nonceBytes)
        let box = try AES.GCM.seal(plaintext, using: key, nonce: nonce)
        return ephemeralPublic + nonceBytes + Array(box.tag) + Array(box.ciphertext)
    }

    public static func decrypt(_ message: [UInt8], with key: PrivateKey) throws(Failure) -> [UInt8] {
        guard message.count >= ephemeralKeyLength + nonceLength + tagLength else { throw .tooShort }
        let ephemeralBytes = Array(message[0..<ephemeralKeyLength])
        guard let ephemeral = PublicKey(bytes: ephemeralBytes),
              let shared = sharedPoint(ephemeral, key) else { throw .badEphemeralKey }
        let symmetric = deriveKey(ephemeralPublic: ephemeralBytes, shared: shared)
        let nonceStart = ephemeralKeyLength
        let tagStart = nonceStart + nonceLength
        let bodyStart = tagStart + tagLength
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: message[nonceStart..<tagStart]),
                ciphertext: message[bodyStart...],
                tag: message[tagStart..<bodyStart])
            return Array(try AES.GCM.open(box, using: symmetric))
        } catch {
            throw .authenticationFailed
        }
    }

    /// `point * scalar` as 65 uncompressed bytes.
    static func sharedPoint(_ point: PublicKey, _ scalar: PrivateKey) -> [UInt8]? {
        var pub = secp256k1_pubkey()
        let input = [0x04] + point.raw
        let ctx = Secp256k1Context.shared.pointer
        guard secp256k1_ec_pubkey_parse(ctx, &pub, input, input.count) == 1,
              secp256k1_ec_pubkey_tweak_mul(ctx, &pub, scalar.secretBytes) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: 65)
        var length = 65
        _ = secp256k1_ec_pubkey_serialize(ctx, &out, &length, &pub, UInt32(SECP256K1_EC_UNCOMPRESSED))
        return out
    }

    static func deriveKey(ephemeralPublic: [UInt8], shared: [UInt8]) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: ephemeralPublic + shared),
            salt: [UInt8](), info: [UInt8](), outputByteCount: 32)
    }
}
