public import SluiceCore

/// The output rules, one function each, on facts already gathered (sizes, detected
/// types, table summaries, verbatim findings): no I/O. Each returns nil when the file
/// passes it.
public enum OutputRules {
    public static func fileSize(_ size: Int64, policy: EffectiveOutputPolicy) -> Withholding? {
        guard let cap = policy.maxFileBytes, size > cap else { return nil }
        return Withholding(.maxFileBytes, "withheld: its \(size) bytes are over the limit of \(cap) bytes per output file")
    }

    /// `releasedSoFar`: the bytes of the outputs before it that are released.
    public static func totalSize(_ size: Int64, releasedSoFar: Int64, policy: EffectiveOutputPolicy) -> Withholding? {
        guard let cap = policy.maxTotalBytes, releasedSoFar + size > cap else { return nil }
        return Withholding(.maxTotalBytes,
                           "withheld: with its \(size) bytes the released outputs would exceed their total limit of \(cap) bytes")
    }

    public static func type(_ detected: OutputFileType, policy: EffectiveOutputPolicy) -> Withholding? {
        guard let allowed = policy.allowedTypes, !allowed.contains(detected) else { return nil }
        let list = allowed.isEmpty ? "none" : allowed.map(\.rawValue).joined(separator: ", ")
        return Withholding(.allowedTypes, "withheld: its content is \(detected.rawValue), which is not an allowed type (allowed: \(list))")
    }

    public static func nameMatchesContent(_ filename: String, detected: OutputFileType) -> Withholding? {
        guard let claimed = ContentType.claimed(by: filename),
              !ContentType.compatible(claimed: claimed, detected: detected) else { return nil }
        return Withholding(.typeMismatch, "withheld: its name says \(claimed.rawValue) but its content is \(detected.rawValue)")
    }

    /// A table whose shape could not be read cannot be shown to pass the table rules in force.
    public static func unreadableTable(_ reason: String?, policy: EffectiveOutputPolicy) -> Withholding? {
        guard let reason, policy.maxRows != nil || !policy.bannedColumns.isEmpty || policy.minCellCount > 0 else { return nil }
        return Withholding(.unreadable, "withheld: \(reason), so its rows and columns cannot be checked")
    }

    public static func rows(_ table: TableSummary, policy: EffectiveOutputPolicy) -> Withholding? {
        guard let cap = policy.maxRows, table.dataRows > cap else { return nil }
        return Withholding(.maxRows, "withheld: its \(table.dataRows) data rows are over the limit of \(cap) rows per table")
    }

    public static func bannedColumns(_ table: TableSummary, policy: EffectiveOutputPolicy) -> Withholding? {
        let banned = Set(policy.bannedColumns)
        if let column = table.columns.first(where: banned.contains) {
            return Withholding(.bannedColumns, "withheld: it has the banned column \"\(column)\"")
        }
        guard !banned.isEmpty, table.hasUnnamedColumns else { return nil }
        return Withholding(.bannedColumns, unnamedColumns(table))
    }

    /// `table.firstSmallCell` was found against `policy.minCellCount` by the scanner. A
    /// count the node could not read (a Parquet table's, a cell too long, a column past
    /// those named) is not taken to be large enough.
    public static func cellCounts(_ table: TableSummary, policy: EffectiveOutputPolicy) -> Withholding? {
        guard policy.minCellCount > 0 else { return nil }
        if let cell = table.firstSmallCell {
            return Withholding(.minCellCount,
                               "withheld: it is a frequency table and its column \"\(cell.column)\" has a count under \(policy.minCellCount) in data row \(cell.row)")
        }
        if let cell = table.firstLongCount {
            return Withholding(.minCellCount,
                               "withheld: it is a frequency table and its column \"\(cell.column)\" has a cell too long to be read as a count in data row \(cell.row)")
        }
        if table.countsUnread, let column = table.frequencyColumns(among: policy.frequencyColumns).first {
            return Withholding(.minCellCount,
                               "withheld: it is a Parquet frequency table (column \"\(column)\"), whose counts the node does not read; as CSV or TSV they are checked")
        }
        guard table.hasUnnamedColumns else { return nil }
        return Withholding(.minCellCount, unnamedColumns(table))
    }

    private static func unnamedColumns(_ table: TableSummary) -> String {
        "withheld: its \(table.columnCount) columns are more than the \(table.columns.count) whose names the node checks"
    }

    /// `copiedInput`: the input the verbatim search found copied into the file, named.
    public static func verbatim(copiedInput: String?, undecided: VerbatimSearch.Undecided?,
                                policy: EffectiveOutputPolicy) -> Withholding? {
        guard let k = policy.verbatimWindowBytes else { return nil }
        if let copiedInput {
            return Withholding(.verbatimCopy, "withheld: it contains \(k) or more consecutive bytes copied from \(copiedInput)")
        }
        switch undecided {
        case nil:
            return nil
        case .unreadableOutput?:
            return Withholding(.unreadable, "withheld: the node could not read it to check it")
        case .unreadableInput?:
            return Withholding(.unreadable, "withheld: the node could not read the inputs to check it for copies")
        case .indexFull?:
            return Withholding(.verbatimCopy, "withheld: the inputs were too large or repetitive for the node to check it for copies")
        case .tooManyNearCopies?:
            return Withholding(.verbatimCopy, "withheld: it shares so many short runs with the inputs that the node stopped checking it for copies")
        }
    }
}
