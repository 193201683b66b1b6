import Foundation
import SluiceCore
import Testing
@testable import SluiceCrypto

@Suite("ECIES, SHA-256 and DIDs")
struct ECIESTests {
    struct Vectors: Decodable {
        struct Vector: Decodable { let plaintextHex: String; let ciphertextHex: String }
        let privateKey: String
        let publicKey: String
        let vectors: [Vector]
    }

    func load() throws -> Vectors {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ecies-vectors.json")
        return try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }

    @Test func decryptsWhatEciespyEncrypted() throws {
        let v = try load()
        let key = try #require(PrivateKey(hex: v.privateKey))
        #expect(Hex.encode([0x04] + key.publicKey.raw, prefix: true) == v.publicKey)
        #expect(v.vectors.count == 4)
        for vector in v.vectors {
            let plain = try ECIES.decrypt(try #require(Hex.decode(vector.ciphertextHex)), with: key)
            #expect(Hex.encode(plain) == vector.plaintextHex)
        }
    }

    @Test func roundTripsAndRefusesTheWrongKeyOrTampering() throws {
        let key = PrivateKey.generate()
        let message = Array("{\"files\":[{\"type\":\"url\",\"url\":\"https://example.org/x\"}]}".utf8)
        var sealed = try ECIES.encrypt(message, to: key.publicKey)
        #expect(try ECIES.decrypt(sealed, with: key) == message)
        #expect(throws: ECIES.Failure.authenticationFailed) { try ECIES.decrypt(sealed, with: PrivateKey.generate()) }
        sealed[sealed.count - 1] ^= 1
        #expect(throws: ECIES.Failure.authenticationFailed) { try ECIES.decrypt(sealed, with: key) }
        #expect(throws: ECIES.Failure.tooShort) { try ECIES.decrypt([1, 2, 3], with: key) }
        #expect(throws: ECIES.Failure.badEphemeralKey) { try ECIES.decrypt([UInt8](repeating: 7, count: 120), with: key) }
    }

    @Test func sha256AndDIDsMatchOcean() throws {
        #expect(SHA256Hex.of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // did:op: + sha256(checksummed NFT address + chain id), as ocean.py computes it.
        let nft = try #require(EthereumAddress("0x1a642f0e3c3af545e7acbd38b07251b3990914f1"))
        let did = DID.derive(nftAddress: nft, chainId: 8996)
        #expect(did.text == "did:op:" + SHA256Hex.of("0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1" + "8996"))
        #expect(DID(did.text) == did)
        #expect(DID("did:op:XYZ") == nil)
        #expect(DID("did:op:" + String(repeating: "A", count: 64)) == nil)
    }
}
