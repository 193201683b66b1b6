import _CryptoExtras
import Crypto
import Foundation
import SluiceCore
import SluiceCrypto

/// Ethereum's Web3 Secret Storage (keystore v3): the key encrypted with AES-128-CTR
/// under a key derived from the password (scrypt when written here; scrypt or PBKDF2
/// when read), with a Keccak-256 MAC that tells a wrong password from a good one.
/// `eth_account.Account.decrypt` and geth read what this writes.
public enum Keystore {
    /// scrypt's cost: 2^16 (64 MiB, a fraction of a second) rather than geth's 2^18,
    /// because the CLI decrypts the wallet on every signed command.
    public static let defaultScryptN = 1 << 16

    struct File: Codable {
        var version: Int
        var id: String
        var address: String
        var crypto: CryptoSection
    }

    struct CryptoSection: Codable {
        var cipher: String
        var cipherparams: CipherParams
        var ciphertext: String
        var kdf: String
        var kdfparams: JSONValue
        var mac: String
    }

    struct CipherParams: Codable { var iv: String }

    /// The keystore JSON of `wallet` under `password`.
    public static func encrypt(_ wallet: Wallet, password: String, scryptN: Int = defaultScryptN) throws(ClientError) -> Data {
        let salt = randomBytes(32), iv = randomBytes(16)
        let params: JSONValue = .object(["dklen": .integer(32), "n": .integer(Int64(scryptN)), "r": .integer(8),
                                         "p": .integer(1), "salt": .string(Hex.encode(salt))])
        let derived = try deriveKey(kdf: "scrypt", params: params, password: password)
        let ciphertext = try aesCTR(wallet.key.secretBytes, key: Array(derived[0..<16]), iv: iv)
        let file = File(version: 3, id: UUID().uuidString.lowercased(), address: Hex.encode(wallet.address.bytes),
                        crypto: CryptoSection(cipher: "aes-128-ctr", cipherparams: CipherParams(iv: Hex.encode(iv)),
                                              ciphertext: Hex.encode(ciphertext), kdf: "scrypt", kdfparams: params,
                                              mac: Hex.encode(mac(derived, ciphertext))))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { return try encoder.encode(file) } catch { throw .wallet("Cannot encode the keystore.") }
    }

    /// The wallet in keystore JSON; `.wrongPassword` when the MAC does not match.
    public static func decrypt(_ data: Data, password: String, name: String) throws(ClientError) -> Wallet {
        guard let file = try? JSONDecoder().decode(File.self, from: data), file.version == 3 else {
            throw .keystore(path: name, reason: "it is not an Ethereum keystore (version 3)")
        }
        guard file.crypto.cipher == "aes-128-ctr" else {
            throw .keystore(path: name, reason: "cipher \(file.crypto.cipher) is not supported")
        }
        guard let ciphertext = Hex.decode(file.crypto.ciphertext), let iv = Hex.decode(file.crypto.cipherparams.iv),
              iv.count == 16, let expected = Hex.decode(file.crypto.mac) else {
            throw .keystore(path: name, reason: "its hex fields are damaged")
        }
        let derived = try deriveKey(kdf: file.crypto.kdf, params: file.crypto.kdfparams, password: password, name: name)
        guard mac(derived, ciphertext) == expected else { throw .wrongPassword(wallet: name) }
        let secret = try aesCTR(ciphertext, key: Array(derived[0..<16]), iv: iv)
        guard let key = PrivateKey(bytes: secret) else { throw .keystore(path: name, reason: "the key inside is not valid") }
        return Wallet(key: key)
    }

    /// The address a keystore names, without decrypting it.
    public static func address(in data: Data) -> String? {
        guard let file = try? JSONDecoder().decode(File.self, from: data) else { return nil }
        let text = file.address.hasPrefix("0x") ? file.address : "0x" + file.address
        guard let address = EthereumAddress(text) else { return nil }
        return address.checksummed
    }

    static func mac(_ derived: [UInt8], _ ciphertext: [UInt8]) -> [UInt8] {
        Keccak256.hash(Array(derived[16..<32]) + ciphertext)
    }

    static func deriveKey(kdf: String, params: JSONValue, password: String, name: String = "") throws(ClientError) -> [UInt8] {
        guard let salt = params["salt"]?.stringValue.flatMap({ Hex.decode($0) }), params["dklen"]?.int64Value == 32 else {
            throw .keystore(path: name, reason: "its key derivation parameters are damaged")
        }
        let password = Array(password.utf8)
        do {
            let key: SymmetricKey
            switch kdf {
            case "scrypt":
                guard let n = params["n"]?.int64Value, let r = params["r"]?.int64Value, let p = params["p"]?.int64Value,
                      n > 1, n <= 1 << 22, n & (n - 1) == 0, r > 0, r <= 32, p > 0, p <= 16 else {
                    throw ClientError.keystore(path: name, reason: "its scrypt parameters are out of range")
                }
                key = try KDF.Scrypt.deriveKey(from: password, salt: salt, outputByteCount: 32, rounds: Int(n),
                                               blockSize: Int(r), parallelism: Int(p))
            case "pbkdf2":
                guard let c = params["c"]?.int64Value, c > 0, c <= 10_000_000, params["prf"]?.stringValue == "hmac-sha256" else {
                    throw ClientError.keystore(path: name, reason: "its PBKDF2 parameters are not supported")
                }
                key = try KDF.Insecure.PBKDF2.deriveKey(from: password, salt: salt, using: .sha256, outputByteCount: 32,
                                                        unsafeUncheckedRounds: Int(c))
            default:
                throw ClientError.keystore(path: name, reason: "key derivation \(kdf) is not supported")
            }
            return key.withUnsafeBytes { Array($0) }
        } catch let error as ClientError {
            throw error
        } catch {
            throw .keystore(path: name, reason: "the key derivation failed")
        }
    }

    static func aesCTR(_ bytes: [UInt8], key: [UInt8], iv: [UInt8]) throws(ClientError) -> [UInt8] {
        do {
            let nonce = try AES._CTR.Nonce(nonceBytes: iv)
            return Array(try AES._CTR.encrypt(bytes, using: SymmetricKey(data: key), nonce: nonce))
        } catch {
            throw .wallet("AES-CTR failed on the keystore.")
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
