import SluiceCore
import SluiceCrypto

/// The DDO a `MetadataCreated`/`MetadataUpdated` event carries, opened as Ocean's provider
/// opens it: flag bit 2 means ECIES-encrypted to the provider's key, bit 1 LZMA (xz)
/// compressed (encryption is the outer layer); the result must hash (SHA-256) to the
/// event's `metaDataHash`.
enum MetadataDocument {
    static let maxBytes = 4 << 20

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func open(data: [UInt8], flags: [UInt8], hash: [UInt8], key: PrivateKey) throws -> [UInt8] {
        let flag = flags.first ?? 0
        var document = data
        if flag & 2 != 0 {
            // ocean-lib passes the provider's `0x` hex answer where bytes are expected;
            // depending on the web3 version the chain holds the hex text or the bytes.
            if document.starts(with: Array("0x".utf8)), let raw = Hex.decode(String(decoding: document, as: UTF8.self)) {
                document = raw
            }
            do {
                document = try ECIES.decrypt(document, with: key)
            } catch {
                throw Failure(description: "the document is not encrypted to this provider's key")
            }
        }
        if flag & 1 != 0 {
            do {
                document = try XZ.decompress(document, maxOutput: maxBytes)
            } catch {
                throw Failure(description: "the document does not decompress: \(error)")
            }
        }
        guard SHA256Hex.of(document) == Hex.encode(hash) else {
            throw Failure(description: "the document does not match the event's metaDataHash")
        }
        return document
    }
}
