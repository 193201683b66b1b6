/// What the tabular rules need to know of a CSV or TSV output, gathered in one pass by
/// `DelimitedScanner`. Never holds cell values.
public struct TableSummary: Sendable, Equatable {
    /// The header's column names, trimmed and lowercased.
    public var columns: [String]
    /// Records after the header (blank lines not counted).
    public var dataRows: Int
    /// The first count under the policy's minimum in a frequency column, if any.
    public var firstSmallCell: SmallCell?

    public init(columns: [String] = [], dataRows: Int = 0, firstSmallCell: SmallCell? = nil) {
        self.columns = columns
        self.dataRows = dataRows
        self.firstSmallCell = firstSmallCell
    }

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
