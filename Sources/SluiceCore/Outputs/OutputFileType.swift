/// What an output file is, as the node detects it from its content (magic bytes, or
/// text sniffing), never from its name alone. The names are the values of a policy's
/// `allowedTypes`.
public enum OutputFileType: String, Sendable, Codable, CaseIterable, Comparable {
    /// UTF-8 text with no binary control bytes, that is none of the text kinds below.
    case text
    /// Text whose lines split into the same number (at least 2) of comma-separated fields.
    case csv
    /// The same with tabs.
    case tsv
    /// Text whose first non-blank character is `{` or `[`.
    case json
    case png
    case jpeg
    case gif
    case pdf
    case zip
    case gzip
    case parquet
    /// NumPy's `.npy`.
    case npy
    /// A Python pickle (protocol 2 or later).
    case pickle
    /// Anything else.
    case binary

    /// Whether the type is one of the text kinds (and so may be tabular).
    public var isText: Bool {
        switch self {
        case .text, .csv, .tsv, .json: return true
        default: return false
        }
    }

    /// Whether the type is CSV or TSV, which the tabular rules read.
    public var isTabular: Bool { self == .csv || self == .tsv }

    public static func < (a: OutputFileType, b: OutputFileType) -> Bool { a.rawValue < b.rawValue }
}
