public import SluiceCore

/// What one read of an output tells the rules: its type by content, and for a table its
/// summary.
public struct ContentFacts: Sendable, Equatable {
    public var type: OutputFileType
    public var table: TableSummary?
    /// Why a table's shape could not be read (a Parquet file's broken footer), in a sentence.
    public var unreadableTable: String?

    public init(type: OutputFileType, table: TableSummary? = nil, unreadableTable: String? = nil) {
        self.type = type
        self.table = table
        self.unreadableTable = unreadableTable
    }

    /// Bytes the type is judged on (the magic bytes, the UTF-8 check, the table sniffing).
    static let prefixBytes = 8192

    /// Reads `file` once; nil when a read failed.
    public static func gather(_ file: CorpusFile, filename: String, policy: EffectiveOutputPolicy,
                              chunk: Int = 1 << 20) -> ContentFacts? {
        var prefix: [UInt8] = []
        var tally = TextTally()
        var scanner: DelimitedScanner?
        var decided = false
        var magic: OutputFileType?
        let ok = file.stream(chunk: chunk) { bytes in
            if !decided {
                prefix = Array(bytes.prefix(prefixBytes))
                decided = true
                magic = MagicBytes.identify(prefix)
                if magic != nil { return false }
                if let dialect = TabularDialect.of(prefix: prefix, filename: filename) {
                    scanner = DelimitedScanner(dialect: dialect, frequencyColumns: policy.frequencyColumns,
                                               minCellCount: policy.minCellCount)
                }
            }
            tally.feed(bytes)
            scanner?.feed(bytes)
            // A binary file is not a table; stop reading it.
            return tally.isText
        }
        guard ok else { return nil }
        if magic == .parquet {
            switch ParquetFooter.read(file) {
            case .success(let table): return ContentFacts(type: .parquet, table: table)
            case .failure(let failure): return ContentFacts(type: .parquet, unreadableTable: failure.sentence)
            }
        }
        if let magic { return ContentFacts(type: magic) }
        let type = ContentType.detect(prefix: prefix, tally: tally, filename: filename)
        guard var scanner, type.isTabular else { return ContentFacts(type: type) }
        return ContentFacts(type: type, table: scanner.finish())
    }
}
