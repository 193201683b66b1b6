import SluiceCore
import Testing
@testable import SluiceCrypto

@Suite("Shared signature vectors")
struct VectorTests {
    let vectors: SignatureVectors

    init() throws { vectors = try SignatureVectors.load() }

    @Test func keccakDigestsMatch() {
        #expect(vectors.keccak256.count >= 5)
        for v in vectors.keccak256 {
            #expect(Hex.encode(Keccak256.hash(v.utf8)) == v.hex, "keccak256(\(v.utf8.prefix(20)))")
        }
    }

    @Test func keysDeriveChecksummedAddresses() throws {
        #expect(!vectors.addresses.isEmpty)
        for v in vectors.addresses {
            let key = try #require(PrivateKey(hex: v.privateKey))
            #expect(key.address.checksummed == v.address)
            #expect(key.address.lowercased == v.lowercase)
            #expect(EthereumAddress.hasValidChecksum(v.address))
        }
    }

    @Test func everyPositiveSignatureVerifiesToItsSigner() throws {
        #expect(vectors.signatures.count >= 3)
        for v in vectors.signatures {
            let nonce = Nonce(v.nonce)
            #expect(Hex.encode(PersonalSign.messageHash(v.message + nonce.text)) == v.messageHash, "\(v.label)")
            let signer = try #require(EthereumAddress(v.signer))
            for sigText in [v.signatureV27, v.signatureV0, String(v.signatureV27.dropFirst(2))] {
                let sig = try RecoverableSignature(hex: sigText)
                let recovered = try PersonalSign.recoverSigner(message: v.message, nonce: nonce, signature: sig)
                #expect(recovered == signer, "\(v.label) with \(sigText.suffix(2))")
                #expect(recovered.checksummed == v.signer)
            }
        }
    }

    @Test func signingReproducesTheVectors() throws {
        // RFC 6979 signatures are deterministic: our signer must produce eth_account's bytes.
        let keys = try vectors.addresses.map { try #require(PrivateKey(hex: $0.privateKey)) }
        for v in vectors.signatures {
            guard let key = keys.first(where: { $0.address.checksummed == v.signer }) else { continue }
            let sig = PersonalSign.sign(message: v.message, nonce: Nonce(v.nonce), key: key)
            #expect(sig.hex == v.signatureV27, "\(v.label)")
        }
    }

    @Test func bothNegativesAreRejected() throws {
        #expect(vectors.negative.count == 2)
        for v in vectors.negative {
            let claimed = try #require(EthereumAddress(v.claimedSigner))
            let accepted: Bool
            do {
                let sig = try RecoverableSignature(hex: v.signature)
                accepted = try PersonalSign.recoverSigner(message: v.message, nonce: Nonce(v.nonce), signature: sig) == claimed
            } catch {
                accepted = false
            }
            #expect(!accepted, "\(v.label) must not verify")
        }
    }
}
