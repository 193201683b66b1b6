/// Reads a CSV or TSV (RFC 4180 quoting: quoted fields may hold separators, quotes as
/// `""`, and line breaks) chunk by chunk, keeping only the header's names, the count of
/// data rows, and the first count under `minCellCount` in a frequency column.
///
/// A frequency table is a table whose header has a column named (without case) as one of
/// `frequencyColumns`; its cells are counts: a cell holding a number greater than 0 and
/// less than `minCellCount` is a small cell. Empty and non-numeric cells are not counts.
public struct DelimitedScanner: Sendable {
    let separator: UInt8
    let frequencyColumns: Set<String>
    let minCellCount: Int

    private var inQuotes = false
    private var quotePending = false
    private var field: [UInt8] = []
    private var fieldIsCut = false
    private var fieldIndex = 0
    private var recordHasBytes = false
    private var header: [String]?
    private var countColumns: [Int: String] = [:]
    public private(set) var summary = TableSummary()

    /// Field bytes kept (names, numbers); a longer field is cut, which no name or count needs.
    static let fieldCap = 256

    public init(dialect: TabularDialect, frequencyColumns: [String], minCellCount: Int) {
        self.separator = dialect.separator
        self.frequencyColumns = Set(frequencyColumns.map { $0.lowercased() })
        self.minCellCount = minCellCount
        field.reserveCapacity(Self.fieldCap)
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes { step(byte) }
    }

    /// Ends the last record (a file need not end with a line break).
    public mutating func finish() -> TableSummary {
        if recordHasBytes || !field.isEmpty || fieldIndex > 0 { endRecord() }
        return summary
    }

    private mutating func step(_ byte: UInt8) {
        if inQuotes {
            if quotePending {
                quotePending = false
                if byte == UInt8(ascii: "\"") { append(byte); return }
                inQuotes = false
                // Fall through: the byte after a closing quote is read outside quotes.
            } else if byte == UInt8(ascii: "\"") {
                quotePending = true
                return
            } else {
                append(byte)
                return
            }
        }
        switch byte {
        case UInt8(ascii: "\""):
            inQuotes = true
            recordHasBytes = true
        case separator:
            recordHasBytes = true
            endField()
        case 0x0A:
            if recordHasBytes || !field.isEmpty || fieldIndex > 0 { endRecord() }
        case 0x0D:
            break
        default:
            append(byte)
        }
    }

    private mutating func append(_ byte: UInt8) {
        recordHasBytes = true
        // Leading blanks are trimmed anyway; skipping them here means padding cannot push
        // a name or a count past the cap.
        if byte == 0x20 || byte == 0x09, field.isEmpty || field == Self.byteOrderMark { return }
        if field.count < Self.fieldCap { field.append(byte) } else { fieldIsCut = true }
    }

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private mutating func endField() {
        if header == nil {
            summary.columnCount += 1
            if summary.columns.count < TableSummary.columnCap {
                let name = TableSummary.columnName(String(decoding: field, as: UTF8.self))
                summary.columns.append(name)
                if frequencyColumns.contains(name) { countColumns[fieldIndex] = name }
            }
        } else if fieldIsCut, summary.firstLongCount == nil, minCellCount > 0, let column = countColumns[fieldIndex] {
            summary.firstLongCount = TableSummary.SmallCell(column: column, row: summary.dataRows + 1)
        } else if summary.firstSmallCell == nil, minCellCount > 0, let column = countColumns[fieldIndex] {
            let text = String(decoding: field, as: UTF8.self).trimmingCharacters(in: " \t")
            if let value = Double(text), value.isFinite, value > 0, value < Double(minCellCount) {
                summary.firstSmallCell = TableSummary.SmallCell(column: column, row: summary.dataRows + 1)
            }
        }
        field.removeAll(keepingCapacity: true)
        fieldIsCut = false
        fieldIndex += 1
    }

    private mutating func endRecord() {
        endField()
        if header == nil {
            header = summary.columns
        } else {
            summary.dataRows += 1
        }
        fieldIndex = 0
        recordHasBytes = false
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let drop = Set(set.unicodeScalars)
        var scalars = Substring(self).unicodeScalars[...]
        while let f = scalars.first, drop.contains(f) { scalars = scalars.dropFirst() }
        while let l = scalars.last, drop.contains(l) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
