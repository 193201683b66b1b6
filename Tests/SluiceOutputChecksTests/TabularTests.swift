import SluiceCore
@testable import SluiceOutputChecks
import Testing

@Suite("tables: rows, banned columns and frequency tables' small cells")
struct TabularTests {
    func summary(_ text: String, dialect: TabularDialect = .csv, frequency: [String] = ["count", "n"], min: Int = 10,
                 chunk: Int = 3) -> TableSummary {
        var scanner = DelimitedScanner(dialect: dialect, frequencyColumns: frequency, minCellCount: min)
        let bytes = Array(text.utf8)
        // Fed in small chunks, so quotes and line breaks fall across chunk ends.
        var start = 0
        while start < bytes.count {
            let end = Swift.min(start + chunk, bytes.count)
            bytes[start..<end].withUnsafeBytes { scanner.feed($0) }
            start = end
        }
        return scanner.finish()
    }

    @Test func recordsAreCountedWithRFC4180Quoting() {
        let s = summary("\"Name\",\"Note\"\r\nann,\"a, b\"\r\nbob,\"line\nbreak\"\r\ncy,\"say \"\"hi\"\"\"\r\n\r\n")
        #expect(s.columns == ["name", "note"])
        #expect(s.dataRows == 3)
        #expect(summary("a,b\n1,2").dataRows == 1, "the last record needs no line break")
        #expect(summary("a\tb\n1\t2\n", dialect: .tsv).columns == ["a", "b"])
        #expect(summary("").dataRows == 0)
    }

    @Test func theRowCapOnEachSide() {
        let table = summary("a,b\n" + String(repeating: "1,2\n", count: 5))
        #expect(OutputRules.rows(table, policy: EffectiveOutputPolicy(maxRows: 5)) == nil)
        #expect(OutputRules.rows(table, policy: EffectiveOutputPolicy(maxRows: 4))?.rule == .maxRows)
        #expect(OutputRules.rows(table, policy: EffectiveOutputPolicy()) == nil)
    }

    @Test func bannedColumnsWithoutCase() {
        let policy = EffectiveOutputPolicy(bannedColumns: ["patient_id"])
        let banned = OutputRules.bannedColumns(summary(" Patient_ID ,age\n1,2\n"), policy: policy)
        #expect(banned?.rule == .bannedColumns)
        #expect(banned?.reason == "withheld: it has the banned column \"patient_id\"")
        #expect(OutputRules.bannedColumns(summary("patient,age\n1,2\n"), policy: policy) == nil)
        #expect(OutputRules.bannedColumns(summary("age,patient_idx\n1,2\n"), policy: policy) == nil)
    }

    @Test func aFrequencyTableNeedsTheMinimumInEveryCell() {
        let policy = EffectiveOutputPolicy(frequencyColumns: ["count"], minCellCount: 10)
        let ten = summary("group,count\na,10\nb,25\n")
        #expect(ten.frequencyColumns(among: ["count"]) == ["count"])
        #expect(OutputRules.cellCounts(ten, policy: policy) == nil, "10 is enough")
        let nine = summary("group,count\na,10\nb, 9\n")
        #expect(nine.firstSmallCell == TableSummary.SmallCell(column: "count", row: 2))
        let refused = OutputRules.cellCounts(nine, policy: policy)
        #expect(refused?.rule == .minCellCount)
        #expect(refused?.reason == "withheld: it is a frequency table and its column \"count\" has a count under 10 in data row 2")
        #expect(summary("group,count\na,9.5\n").firstSmallCell != nil, "a decimal count counts")
        #expect(summary("group,count\na,0\nb,\nc,x\n").firstSmallCell == nil, "zero, empty and non-numbers are not small counts")
        #expect(summary("group,total\na,3\n").firstSmallCell == nil, "not a frequency table")
        #expect(summary("group,N\na,3\n").firstSmallCell?.column == "n", "names compare without case")
        #expect(summary("group,count\na,3\n", min: 0).firstSmallCell == nil, "0 turns the rule off")
        #expect(summary("group,count\na,3\n", min: 3).firstSmallCell == nil)
        #expect(summary("group,count\na,3\n", min: 4).firstSmallCell != nil)
    }

    @Test func dialectsAreSniffedFromCompleteLines() {
        #expect(TabularDialect.of(prefix: Array("a,b\n1,2\n".utf8), filename: "x") == .csv)
        #expect(TabularDialect.of(prefix: Array("a,b\n1,2,3\n".utf8), filename: "x") == nil, "ragged lines are not a table")
        #expect(TabularDialect.of(prefix: Array("a\tb\n1\t2\n".utf8), filename: "x") == .tsv)
        #expect(TabularDialect.of(prefix: Array("free text".utf8), filename: "x.tsv") == .tsv)
    }

    /// What the scanner does not keep (a field's bytes past 256, names past 65,536
    /// columns) cannot be used to slip a name or a count past the rules.
    @Test func paddingAndWidthDoNotHideANameOrACount() {
        let banned = EffectiveOutputPolicy(bannedColumns: ["patient_id"])
        let padded = summary(String(repeating: " ", count: 300) + "patient_id,age\n1,2\n", chunk: 64)
        #expect(OutputRules.bannedColumns(padded, policy: banned)?.rule == .bannedColumns, "leading blanks are not kept")

        let counts = EffectiveOutputPolicy(frequencyColumns: ["count"], minCellCount: 10)
        let long = summary("group,count\na,12\nb," + String(repeating: "0", count: 300) + "5\n", chunk: 64)
        #expect(long.firstLongCount == TableSummary.SmallCell(column: "count", row: 2))
        #expect(OutputRules.cellCounts(long, policy: counts)?.reason
            == "withheld: it is a frequency table and its column \"count\" has a cell too long to be read as a count in data row 2")
        let ordinary = summary("group,count\na," + String(repeating: "1", count: 255) + "\n", chunk: 64)
        #expect(ordinary.firstLongCount == nil && OutputRules.cellCounts(ordinary, policy: counts) == nil, "255 digits are read")

        let columns = TableSummary.columnCap
        let wide = summary((0...columns).map { "c\($0)" }.joined(separator: ",") + "\n", chunk: 65536)
        #expect(wide.columnCount == columns + 1 && wide.columns.count == columns && wide.hasUnnamedColumns)
        #expect(OutputRules.bannedColumns(wide, policy: banned)?.reason == "withheld: its \(columns + 1) columns are more than the \(columns) whose names the node checks")
        #expect(OutputRules.cellCounts(wide, policy: counts)?.rule == .minCellCount)
        #expect(OutputRules.bannedColumns(wide, policy: EffectiveOutputPolicy()) == nil, "no name rule, nothing to check")
        #expect(OutputRules.cellCounts(wide, policy: EffectiveOutputPolicy()) == nil)
        let widest = summary((1...columns).map { "c\($0)" }.joined(separator: ",") + "\n", chunk: 65536)
        #expect(!widest.hasUnnamedColumns && OutputRules.bannedColumns(widest, policy: banned) == nil)
    }
}
