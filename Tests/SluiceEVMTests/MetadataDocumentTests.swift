import SluiceCore
import SluiceCrypto
import Testing
@testable import SluiceEVM

@Suite("DDO documents as Ocean publishes them")
struct MetadataDocumentTests {
    let key = PrivateKey.generate()
    let ddo = Array(#"{"id":"did:op:00","name":"x"}"#.utf8)

    @Test(arguments: [(true, true), (true, false), (false, true), (false, false)])
    func everyFlagCombinationOpens(compress: Bool, encrypt: Bool) throws {
        let p = try MetadataPublication(document: ddo, provider: key.publicKey, compress: compress, encrypt: encrypt)
        #expect(p.flags == (compress ? 1 : 0) | (encrypt ? 2 : 0))
        #expect(try MetadataDocument.open(data: p.data, flags: [p.flags], hash: p.hash, key: key) == ddo)
    }

    @Test func hexTextOfTheCiphertextAlsoOpens() throws {
        let p = try MetadataPublication(document: ddo, provider: key.publicKey)
        let text = Array(Hex.encode(p.data, prefix: true).utf8)
        #expect(try MetadataDocument.open(data: text, flags: [3], hash: p.hash, key: key) == ddo)
    }

    @Test func anotherKeyOrHashIsRefused() throws {
        let p = try MetadataPublication(document: ddo, provider: key.publicKey)
        #expect(throws: MetadataDocument.Failure.self) {
            try MetadataDocument.open(data: p.data, flags: [3], hash: p.hash, key: PrivateKey.generate())
        }
        #expect(throws: MetadataDocument.Failure.self) {
            try MetadataDocument.open(data: p.data, flags: [3], hash: [UInt8](repeating: 0, count: 32), key: key)
        }
    }

    /// The bytes of Python's `lzma.compress(b"hello ocean")`.
    @Test func pythonXZStreamsDecompress() throws {
        let python = "fd377a585a000004e6d6b4460200210116000000742fe5a301000a68656c6c6f206f6365616e000066c45ab9888b64df0001230bc21bfd091fb6f37d010000000004595a"
        #expect(try XZ.decompress(try #require(Hex.decode(python)), maxOutput: 100) == Array("hello ocean".utf8))
        #expect(throws: XZ.Failure.self) { try XZ.decompress([1, 2, 3], maxOutput: 100) }
    }
}
