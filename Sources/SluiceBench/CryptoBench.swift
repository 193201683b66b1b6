import CSecp256k1
import Foundation
import SluiceCore
import SluiceCrypto

/// Signature recoveries per second: Sluice's crypto (digest and signature in, signer
/// address out) against a raw libsecp256k1 loop (parse and recover only) in the same run.
enum CryptoBench {
    static func run() {
        let key = PrivateKey.generate()
        let messages = (0..<256).map { "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1did:op:\($0)" }
        let hashes = messages.map { PersonalSign.messageHash($0 + "1") }
        let signatures = hashes.map { key.sign(digest: PersonalSign.digest(ofHash: $0)) }
        let digests = hashes.map { PersonalSign.digest(ofHash: $0) }
        let iterations = 20_000

        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_FLAGS_TYPE_CONTEXT)) else { return }
        defer { secp256k1_context_destroy(ctx) }

        func raw() -> Double {
            var failures = 0
            let start = ContinuousClock.now
            for i in 0..<iterations {
                let sig = signatures[i & 255]
                var parsed = secp256k1_ecdsa_recoverable_signature()
                var pub = secp256k1_pubkey()
                if secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &parsed, sig.compact, sig.recoveryID) != 1
                    || secp256k1_ecdsa_recover(ctx, &pub, &parsed, digests[i & 255]) != 1 {
                    failures += 1
                }
            }
            precondition(failures == 0)
            return Double(iterations) / seconds(ContinuousClock.now - start)
        }

        let expected = key.address
        func sluice() -> Double {
            var matches = 0
            let start = ContinuousClock.now
            for i in 0..<iterations {
                if let signer = try? PersonalSign.recoverSigner(ofHash: hashes[i & 255], signature: signatures[i & 255]),
                   signer == expected {
                    matches += 1
                }
            }
            precondition(matches == iterations)
            return Double(iterations) / seconds(ContinuousClock.now - start)
        }

        // Alternate the two, three rounds each, and keep each one's best round.
        var bestRaw = 0.0, bestSluice = 0.0
        for _ in 0..<3 {
            bestRaw = max(bestRaw, raw())
            bestSluice = max(bestSluice, sluice())
        }
        print(String(format: "recover/raw-libsecp256k1: %.0f recoveries/s (parse + recover)", bestRaw))
        print(String(format: "recover/sluice: %.0f recoveries/s (personal-sign digest + recover + address)", bestSluice))
        print(String(format: "recover/ratio: %.1f%% of raw (target: at least 90%%)", 100 * bestSluice / bestRaw))
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
