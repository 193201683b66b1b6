public import Foundation
public import SluiceCore

/// `receipt.json`: the receipt's fields and a `signature`, as canonical JSON (keys
/// sorted, no spaces, slashes unescaped). The signature is EIP-191 personal_sign by the
/// node's key over keccak256 of the canonical JSON of the receipt without `signature`.
/// A file whose bytes are not exactly that canonical form is refused, so a change of any
/// byte fails the check.
public enum SignedReceipt {
    /// The file's bytes for `receipt`, signed with `key`.
    public static func encode(_ receipt: JobReceipt, key: PrivateKey) throws -> [UInt8] {
        let body = try json(receipt)
        let signature = key.sign(digest: PersonalSign.digest(ofHash: Keccak256.hash(Array(body.compactJSON().utf8))))
        guard case .object(var fields) = body else { throw ReceiptProblem.malformed }
        fields["signature"] = .string(signature.hex)
        return Array(JSONValue.object(fields).compactJSON().utf8)
    }

    /// Checks a receipt file: canonical bytes, a signature by `node` (and by the address
    /// the receipt names), and returns the receipt.
    public static func verify(_ bytes: [UInt8], node expected: EthereumAddress?) throws(ReceiptProblem) -> JobReceipt {
        guard let value = try? JSONValue.parse(bytes), case .object(var fields) = value else { throw .malformed }
        guard Array(value.compactJSON().utf8) == bytes else { throw .notCanonical }
        guard let signatureText = fields.removeValue(forKey: "signature")?.stringValue,
              let signature = try? RecoverableSignature(hex: signatureText) else { throw .missingSignature }
        let body = JSONValue.object(fields)
        guard let receipt = try? JSONDecoder().decode(JobReceipt.self, from: Data(body.compactJSON().utf8)),
              receipt.version == JobReceipt.currentVersion else { throw .malformed }
        let hash = Keccak256.hash(Array(body.compactJSON().utf8))
        guard let signer = try? PersonalSign.recoverSigner(ofHash: hash, signature: signature) else { throw .badSignature }
        guard EthereumAddress(receipt.node) == signer else { throw .badSignature }
        if let expected, expected != signer { throw .otherNode(signer.checksummed) }
        return receipt
    }

    static func json(_ receipt: JobReceipt) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(receipt))
    }
}

/// Why a receipt or the outputs beside it fail verification, one sentence each.
public enum ReceiptProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed
    case notCanonical
    case missingSignature
    case badSignature
    case otherNode(String)
    case missingOutput(String)
    case outputMismatch(String)

    public var description: String {
        switch self {
        case .malformed: return "the file is not a Sluice job receipt"
        case .notCanonical: return "the receipt's bytes are not its canonical JSON: it was changed after it was signed"
        case .missingSignature: return "the receipt has no valid signature"
        case .badSignature: return "the signature does not match the receipt: it was changed after it was signed, or not signed by the node it names"
        case .otherNode(let address): return "the receipt was signed by \(address), not by the expected node"
        case .missingOutput(let name): return "output \(name) named by the receipt is not in the outputs directory"
        case .outputMismatch(let name): return "output \(name) differs from the one the receipt names (sha256 or size)"
        }
    }
}

extension SignedReceipt {
    /// Verifies the receipt and then each released output it lists against the files
    /// under `outputs` (as `sluice compute start --out` or `results` lays them out:
    /// each output at its path relative to `/data/outputs`).
    public static func verify(_ bytes: [UInt8], node: EthereumAddress?, outputs directory: URL) throws(ReceiptProblem) -> JobReceipt {
        let receipt = try verify(bytes, node: node)
        for file in receipt.outputs {
            let url = directory.appendingPathComponent(file.filename)
            guard let handle = try? FileHandle(forReadingFrom: url) else { throw .missingOutput(file.filename) }
            defer { try? handle.close() }
            var hasher = StreamingSHA256()
            var size: Int64 = 0
            while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                size += Int64(chunk.count)
                hasher.update(Array(chunk))
            }
            guard size == file.size, hasher.hexDigest() == file.sha256 else { throw .outputMismatch(file.filename) }
        }
        return receipt
    }
}
