/// What the tabular rules need to know of a CSV or TSV output, gathered in one pass by
/// `DelimitedScanner`. Never holds cell values.
public struct TableSummary: Sendable, Equatable {
    /// The header's column names, as `columnName` makes them (the first `columnCap`).
    public var columns: [String]
    /// Every column, those past the cap, whose names are not kept, included.
    public var columnCount: Int
    /// Records after the header (blank lines not counted).
    public var dataRows: Int
    /// The first count under the policy's minimum in a frequency column, if any.
    public var firstSmallCell: SmallCell?
    /// The first cell of a frequency column too long to be read as a count.
    public var firstLongCount: SmallCell?
    /// A Parquet table's: its cells were not read, so its counts are unknown.
    public var countsUnread = false

    public init(columns: [String] = [], dataRows: Int = 0, firstSmallCell: SmallCell? = nil) {
        self.columns = columns
        self.columnCount = columns.count
        self.dataRows = dataRows
        self.firstSmallCell = firstSmallCell
    }

    /// Columns whose names are kept (and checked); a table with more is withheld where a
    /// name rule applies.
    static let columnCap = 65536

    /// A column's name as the rules compare it: trimmed of blanks and a byte-order mark, lowercased.
    static func columnName(_ raw: String) -> String {
        raw.trimmingCharacters(in: " \t\u{FEFF}").lowercased()
    }

    /// Whether some columns' names were not kept, so the name rules cannot clear the table.
    public var hasUnnamedColumns: Bool { columnCount > columns.count }

    /// Where a small count is: its column's name and its data row (1-based).
    public struct SmallCell: Sendable, Equatable {
        public var column: String
        public var row: Int

        public init(column: String, row: Int) {
            self.column = column
            self.row = row
        }
    }

    /// The frequency columns present (a table with one is a frequency table).
    public func frequencyColumns(among names: [String]) -> [String] {
        let wanted = Set(names)
        return columns.filter(wanted.contains)
    }
}
