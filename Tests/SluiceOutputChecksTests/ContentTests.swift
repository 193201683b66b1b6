import SluiceCore
import SluiceOutputChecks
import Testing

@Suite("content types: by magic bytes and text sniffing, not by name")
struct ContentTests {
    func detect(_ bytes: [UInt8], name: String = "out") -> OutputFileType {
        var tally = TextTally()
        bytes.withUnsafeBytes { tally.feed($0) }
        return ContentType.detect(prefix: bytes, tally: tally, filename: name)
    }

    @Test func magicBytesNameTheBinaryFormats() {
        let cases: [([UInt8], OutputFileType)] = [
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0], .png),
            ([0xFF, 0xD8, 0xFF, 0xE0], .jpeg),
            (Array("GIF89a..".utf8), .gif),
            (Array("%PDF-1.7".utf8), .pdf),
            ([0x50, 0x4B, 0x03, 0x04, 1], .zip),
            ([0x1F, 0x8B, 8, 0], .gzip),
            (Array("PAR1xxxx".utf8), .parquet),
            ([0x93] + Array("NUMPY".utf8) + [1, 0], .npy),
            ([0x80, 0x04, 0x95], .pickle),
        ]
        for (bytes, type) in cases {
            #expect(MagicBytes.identify(bytes) == type, "\(type)")
            #expect(detect(bytes, name: "renamed.txt") == type, "the name does not change \(type)")
        }
        #expect(MagicBytes.identify(Array("hello".utf8)) == nil)
    }

    @Test func textIsSniffed() {
        #expect(detect(Array("just words\nand more\n".utf8)) == .text)
        #expect(detect(Array("  {\"a\": 1}".utf8)) == .json)
        #expect(detect(Array("a,b\n1,2\n3,4\n".utf8), name: "result.txt") == .csv, "a CSV named .txt is still a table")
        #expect(detect(Array("a\tb\tc\n1\t2\t3\n".utf8)) == .tsv)
        #expect(detect(Array("one line, with a comma\n".utf8)) == .text, "one line is not a table")
        #expect(detect(Array("x\n".utf8), name: "t.csv") == .csv, "the name makes text tabular")
        #expect(detect([0x61, 0x00, 0x62]) == .binary, "a NUL byte is binary")
        #expect(detect([0xC3, 0x28, 0x41]) == .binary, "invalid UTF-8 is binary")
        #expect(detect(Array("café\n".utf8)) == .text)
    }

    @Test func aFileThatTurnsBinaryLaterIsBinary() {
        var tally = TextTally()
        let text = [UInt8](repeating: 0x61, count: 100)
        text.withUnsafeBytes { tally.feed($0) }
        #expect(tally.isText)
        [UInt8]([0x61, 0x01]).withUnsafeBytes { tally.feed($0) }
        #expect(!tally.isText)
        #expect(ContentType.detect(prefix: text, tally: tally, filename: "a.txt") == .binary)
    }

    @Test func aNameMustNotClaimAnotherContent() {
        #expect(OutputRules.nameMatchesContent("plot.png", detected: .text)?.rule == .typeMismatch)
        #expect(OutputRules.nameMatchesContent("data.csv", detected: .zip)?.rule == .typeMismatch)
        #expect(OutputRules.nameMatchesContent("plot.png", detected: .png) == nil)
        #expect(OutputRules.nameMatchesContent("notes.txt", detected: .csv) == nil, "the text kinds are interchangeable")
        #expect(OutputRules.nameMatchesContent("model.bin", detected: .pickle) == nil, "an unknown extension claims nothing")
        #expect(OutputRules.nameMatchesContent("sub/dir.png/x", detected: .text) == nil, "only the last component counts")
    }

    @Test func allowedTypesOnEachSide() {
        let policy = EffectiveOutputPolicy(allowedTypes: [.csv, .png])
        #expect(OutputRules.type(.csv, policy: policy) == nil)
        #expect(OutputRules.type(.png, policy: policy) == nil)
        let refused = OutputRules.type(.zip, policy: policy)
        #expect(refused?.rule == .allowedTypes)
        #expect(refused?.reason == "withheld: its content is zip, which is not an allowed type (allowed: csv, png)")
        #expect(OutputRules.type(.zip, policy: EffectiveOutputPolicy()) == nil, "no list allows every type")
    }
}
