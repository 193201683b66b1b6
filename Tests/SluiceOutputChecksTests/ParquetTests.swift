import Foundation
import SluiceCore
@testable import SluiceOutputChecks
import Testing

/// Parquet outputs meet the table rules through their footers: the column names (nested
/// ones included) and the row count. Their cells are not read, so a Parquet frequency
/// table is withheld where cell counts are checked, and a footer that cannot be read
/// withholds the file where any table rule applies. The fixtures were written by pyarrow
/// (`Fixtures/make-parquet-fixtures.py`).
@Suite("Parquet tables: columns and rows from the footer")
struct ParquetTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name).parquet")
        return Array(try Data(contentsOf: url))
    }

    func facts(_ bytes: [UInt8], policy: EffectiveOutputPolicy = .builtIn) throws -> (ContentFacts, Withholding?) {
        let files = try TempFiles()
        let file = try files.file(bytes, id: 0)
        let facts = try #require(ContentFacts.gather(file, filename: "table.parquet", policy: policy))
        return (facts, OutputReview.rules("table.parquet", facts, policy))
    }

    @Test func pyarrowsFootersGiveTheColumnsAndRows() throws {
        let model = try #require(try facts(Self.fixture("model")).0.table)
        #expect(model.columns == ["feature", "weight"] && model.dataRows == 12 && model.countsUnread)
        let nested = try #require(try facts(Self.fixture("nested")).0.table)
        #expect(nested.columns == ["id", "info", "patient_id", "age"] && nested.dataRows == 2)
        #expect(try facts(Self.fixture("frequency")).0.table?.columns == ["region", "count"])
    }

    @Test func aModelIsReleasedAndTheRowCapOnEachSide() throws {
        let model = try Self.fixture("model")
        #expect(try facts(model).1 == nil, "released under the built-in policy")
        var policy = EffectiveOutputPolicy.builtIn
        policy.maxRows = 12
        #expect(try facts(model, policy: policy).1 == nil)
        policy.maxRows = 11
        #expect(try facts(model, policy: policy).1?.rule == .maxRows)
    }

    @Test func aBannedColumnInsideAStructIsFound() throws {
        var policy = EffectiveOutputPolicy.builtIn
        policy.bannedColumns = ["patient_id"]
        let withheld = try facts(Self.fixture("nested"), policy: policy).1
        #expect(withheld == Withholding(.bannedColumns, "withheld: it has the banned column \"patient_id\""))
        #expect(try facts(Self.fixture("nested")).1 == nil, "no banned column: released")
    }

    @Test func aFrequencyTablesCountsAreNotReadSoItIsWithheldWhereTheyAreChecked() throws {
        let frequency = try Self.fixture("frequency")
        let withheld = try facts(frequency).1
        #expect(withheld?.rule == .minCellCount)
        #expect(withheld?.reason.contains("Parquet frequency table (column \"count\")") == true, "\(String(describing: withheld))")
        var off = EffectiveOutputPolicy.builtIn
        off.minCellCount = 0
        #expect(try facts(frequency, policy: off).1 == nil, "no cell minimum: released")
    }

    @Test func aFooterThatCannotBeReadWithholdsTheFileWhereTableRulesApply() throws {
        let model = try Self.fixture("model")
        var none = EffectiveOutputPolicy.builtIn
        none.minCellCount = 0
        let cases: [(String, [UInt8])] = [
            ("truncated", Array(model.dropLast())),
            ("no footer", Array("PAR1".utf8) + [UInt8](repeating: 7, count: 40)),
            ("a footer longer than the file", Array(model.dropLast(8)) + [0xFF, 0xFF, 0, 0] + Array("PAR1".utf8)),
            ("a malformed footer", Array(model.prefix(4)) + [0xEE, 0xEE, 0xEE, 0xEE, 4, 0, 0, 0] + Array("PAR1".utf8)),
        ]
        for (what, bytes) in cases {
            let withheld = try facts(bytes).1
            #expect(withheld?.rule == .unreadable, "\(what): \(String(describing: withheld))")
            #expect(try facts(bytes, policy: none).1 == nil, "\(what): no table rule, nothing to check")
        }
    }

    /// Footers from a hostile algorithm: huge counts, deep nesting, bad types and random
    /// bytes end in a refusal, quickly, never in a crash.
    @Test func hostileFootersAreRefused() throws {
        let hostile: [[UInt8]] = [
            [0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],          // schema: a list of 2^32 structs
            [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],                // field 1 as a binary of 4 GiB
            Array(repeating: 0x1C, count: 10_000),               // structs in structs, 10,000 deep
            [0x1D],                                              // type 13 does not exist
            [0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], // a varint over 64 bits
            [0x29, 0x1C, 0x00, 0x16, 0x04, 0x00],                // a schema element without a name
            [0x29, 0x1C, 0x48, 0x01, 0x61, 0x00, 0x16, 0x01, 0x00], // num_rows -1
            [],
        ]
        for footer in hostile {
            #expect(throws: (any Error).self, "\(footer.prefix(12))") { try ParquetFooter.parse(footer) }
        }
        var generator = SeededBytes(seed: 41)
        for _ in 0..<5_000 {
            let footer = generator.next(count: Int(generator.next(count: 1)[0]))
            _ = try? ParquetFooter.parse(footer)
        }
        // The smallest valid footer: a root and one column "a", no rows.
        let minimal: [UInt8] = [0x29, 0x2C, 0x48, 0x04] + Array("root".utf8) + [0x00, 0x48, 0x01, 0x61, 0x00, 0x16, 0x00, 0x00]
        #expect(try ParquetFooter.parse(minimal) == { () -> TableSummary in
            var s = TableSummary(columns: ["a"], dataRows: 0)
            s.countsUnread = true
            return s
        }())
    }
}

/// Pseudo-random bytes for the footer fuzzing, the same every run.
struct SeededBytes {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(count: Int) -> [UInt8] {
        (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }
}
