import Foundation

/// `../shared/vectors/signatures.json`, found from this file's location so tests run
/// from any working directory.
struct SignatureVectors: Decodable {
    struct KeccakVector: Decodable { let utf8: String; let hex: String }
    struct AddressVector: Decodable { let privateKey: String; let address: String; let lowercase: String }
    struct SignatureVector: Decodable {
        let label: String
        let signer: String
        let message: String
        let nonce: UInt64
        let messageHash: String
        let signatureV27: String
        let signatureV0: String
    }
    struct NegativeVector: Decodable {
        let label: String
        let claimedSigner: String
        let message: String
        let nonce: UInt64
        let signature: String
    }

    let keccak256: [KeccakVector]
    let addresses: [AddressVector]
    let signatures: [SignatureVector]
    let negative: [NegativeVector]

    static func load() throws -> SignatureVectors {
        let data = try Data(contentsOf: sharedDirectory.appendingPathComponent("vectors/signatures.json"))
        return try JSONDecoder().decode(SignatureVectors.self, from: data)
    }

    /// The `shared/` folder beside the checkout: `<repo>/../shared`.
    static var sharedDirectory: URL {
        if let override = ProcessInfo.processInfo.environment["SLUICE_SHARED_DIR"] {
            return URL(fileURLWithPath: override)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // SluiceCryptoTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repo
            .deletingLastPathComponent()  // beside the repo
            .appendingPathComponent("shared")
    }
}
