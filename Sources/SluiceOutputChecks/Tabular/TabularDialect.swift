public import SluiceCore

/// How a text output's fields are separated, if it is a table.
public enum TabularDialect: Sendable, Equatable {
    case csv
    case tsv

    public var separator: UInt8 { self == .csv ? UInt8(ascii: ",") : 0x09 }
    public var type: OutputFileType { self == .csv ? .csv : .tsv }

    /// The dialect of a text file: its name's `.csv` or `.tsv`, or else its first lines
    /// (up to 8 complete ones) all splitting into the same number, at least 2, of
    /// tab-separated (then comma-separated) fields. nil: not a table.
    public static func of(prefix: [UInt8], filename: String) -> TabularDialect? {
        switch ContentType.claimed(by: filename) {
        case .csv?: return .csv
        case .tsv?: return .tsv
        default: break
        }
        var lines = prefix.split(separator: 0x0A, omittingEmptySubsequences: false)
        // The last piece may be cut by the prefix's end; judge complete lines only.
        if prefix.last != 0x0A, lines.count > 1 { lines.removeLast() }
        let sample = lines.prefix(8).filter { !$0.isEmpty }
        guard sample.count >= 2 else { return nil }
        for dialect in [TabularDialect.tsv, .csv] {
            let counts = sample.map { line in line.reduce(1) { $0 + ($1 == dialect.separator ? 1 : 0) } }
            if let first = counts.first, first >= 2, counts.allSatisfy({ $0 == first }) { return dialect }
        }
        return nil
    }
}
