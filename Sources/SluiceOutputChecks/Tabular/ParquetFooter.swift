/// What the tabular rules can know of a Parquet output without a Parquet library: its
/// footer (Thrift's compact protocol, at the end of the file) names every column and
/// counts the rows. The cells are in encoded, often compressed, pages the node does not
/// read, so a Parquet frequency table's counts are not checked (see `OutputRules.cellCounts`).
enum ParquetFooter {
    /// A footer larger than this is not read (real ones are kilobytes).
    static let maxFooterBytes = 16 << 20

    enum Failure: Error, Equatable {
        /// No "PAR1" footer at the end (truncated, or an encrypted footer).
        case noFooter
        case tooLarge(Int)
        case malformed
        case unreadable

        /// Why, for the withholding's sentence.
        var sentence: String {
            switch self {
            case .noFooter: "it starts as Parquet but has no Parquet footer at its end (truncated, or its footer is encrypted)"
            case .tooLarge(let bytes): "its Parquet footer of \(bytes) bytes is over the \(ParquetFooter.maxFooterBytes) the node reads"
            case .malformed: "its Parquet footer is malformed"
            case .unreadable: "the node could not read its Parquet footer"
            }
        }
    }

    /// Reads the footer of `file`, which begins with Parquet's magic bytes.
    static func read(_ file: CorpusFile) -> Result<TableSummary, Failure> {
        // "PAR1" at the start, then the footer's length (4 bytes, little-endian) and "PAR1" at the end.
        guard file.size >= 12 else { return .failure(.noFooter) }
        var tail = [UInt8](repeating: 0, count: 8)
        let got = tail.withUnsafeMutableBytes { file.read(into: $0, at: file.size - 8) }
        guard let got else { return .failure(.unreadable) }
        guard got == 8, Array(tail[4..<8]) == Array("PAR1".utf8) else { return .failure(.noFooter) }
        let length = Int(tail[0]) | Int(tail[1]) << 8 | Int(tail[2]) << 16 | Int(tail[3]) << 24
        guard length <= maxFooterBytes else { return .failure(.tooLarge(length)) }
        guard Int64(length) <= file.size - 12 else { return .failure(.noFooter) }
        var footer = [UInt8](repeating: 0, count: length)
        let read = footer.withUnsafeMutableBytes { file.read(into: $0, at: file.size - 8 - Int64(length)) }
        guard let read else { return .failure(.unreadable) }
        guard read == length else { return .failure(.noFooter) }
        do {
            return .success(try parse(footer))
        } catch {
            return .failure(.malformed)
        }
    }

    /// The table's shape from a footer's bytes: FileMetaData's schema (field 2, a list of
    /// SchemaElement, whose field 4 is the name; the first is the root) and num_rows (field 3).
    static func parse(_ footer: [UInt8]) throws -> TableSummary {
        var reader = ThriftCompactReader(footer)
        var names: [String]?
        var rows: Int64?
        var columnCount = 0
        var last: Int16 = 0
        while let (id, type) = try reader.fieldHeader(after: last) {
            switch (id, type) {
            case (2, .list):
                let (element, count) = try reader.listHeader()
                guard element == .structure else { throw ThriftCompactReader.Malformed() }
                // Names past the cap are read, not kept: a hostile footer may list millions.
                var schema: [String] = []
                for i in 0..<count {
                    let name = try schemaElementName(&reader)
                    if i <= TableSummary.columnCap { schema.append(name) }
                }
                names = schema
                columnCount = count - 1
            case (3, .i64):
                rows = try reader.integer()
            default:
                try reader.skip(type)
            }
            last = id
        }
        guard let names, !names.isEmpty, let rows, rows >= 0 else { throw ThriftCompactReader.Malformed() }
        var summary = TableSummary(columns: names.dropFirst().map(TableSummary.columnName), dataRows: Int(rows))
        summary.columnCount = columnCount
        summary.countsUnread = true
        return summary
    }

    /// One SchemaElement's name; its other fields are skipped.
    private static func schemaElementName(_ reader: inout ThriftCompactReader) throws -> String {
        var name: String?
        var last: Int16 = 0
        while let (id, type) = try reader.fieldHeader(after: last) {
            if id == 4, type == .binary {
                name = String(decoding: try reader.binary(), as: UTF8.self)
            } else {
                try reader.skip(type, depth: 1)
            }
            last = id
        }
        guard let name else { throw ThriftCompactReader.Malformed() }
        return name
    }
}
