import SluiceCore
import Testing
@testable import SluiceCrypto

@Suite("Signature parsing and keys")
struct SignatureParsingTests {
    @Test func rejectsBadHex() {
        #expect(throws: SignatureError.notHex) { try RecoverableSignature(hex: "0xzz") }
        #expect(throws: SignatureError.notHex) { try RecoverableSignature(hex: "0x0xab") }
        #expect(throws: SignatureError.notHex) { try RecoverableSignature(hex: "abc") }
    }

    @Test func rejectsWrongLengths() {
        #expect(throws: SignatureError.wrongLength(64)) { try RecoverableSignature(rsv: [UInt8](repeating: 1, count: 64)) }
        #expect(throws: SignatureError.wrongLength(66)) { try RecoverableSignature(rsv: [UInt8](repeating: 1, count: 66)) }
        #expect(throws: SignatureError.wrongLength(0)) { try RecoverableSignature(hex: "") }
    }

    @Test(arguments: [UInt8(2), 26, 29, 35, 255])
    func rejectsOtherRecoveryBytes(v: UInt8) {
        var bytes = [UInt8](repeating: 1, count: 65)
        bytes[64] = v
        #expect(throws: SignatureError.badRecoveryByte(v)) { try RecoverableSignature(rsv: bytes) }
    }

    @Test func zeroSignatureIsUnrecoverable() throws {
        let sig = try RecoverableSignature(rsv: [UInt8](repeating: 0, count: 64) + [27])
        #expect(throws: SignatureError.unrecoverable) {
            try PersonalSign.recoverSigner(message: "x", nonce: Nonce(1), signature: sig)
        }
    }

    @Test func signAndRecoverRoundTrip() throws {
        let key = PrivateKey.generate()
        let sig = PersonalSign.sign(message: "hello", nonce: Nonce(7), key: key)
        #expect(try PersonalSign.recoverSigner(message: "hello", nonce: Nonce(7), signature: sig) == key.address)
        #expect(try PersonalSign.recoverSigner(message: "hello", nonce: Nonce(8), signature: sig) != key.address)
    }

    @Test func privateKeysNeverPrint() throws {
        let key = try #require(PrivateKey(hex: "0x0101010101010101010101010101010101010101010101010101010101010101"))
        let secret = Hex.encode(key.secretBytes)
        #expect(!String(describing: key).contains(secret))
        #expect(!String(reflecting: key).contains(secret))
        #expect(!"\(key)".contains("0101010101"))
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("0101010101"))
    }

    @Test func invalidPrivateKeysAreRefused() {
        #expect(PrivateKey(bytes: [UInt8](repeating: 0, count: 32)) == nil)
        #expect(PrivateKey(bytes: [UInt8](repeating: 0xff, count: 32)) == nil)  // above the curve order
        #expect(PrivateKey(bytes: [1, 2, 3]) == nil)
    }

    @Test func checksumValidation() {
        #expect(EthereumAddress.hasValidChecksum("0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1"))
        #expect(EthereumAddress.hasValidChecksum("0x1a642f0e3c3af545e7acbd38b07251b3990914f1"))
        #expect(!EthereumAddress.hasValidChecksum("0x1A642f0E3c3aF545E7AcBD38b07251B3990914F1"))
    }
}
