public import SluiceCore

/// An output's type from its content: magic bytes first, then text sniffing (JSON, CSV,
/// TSV or plain text); a name ending in `.csv` or `.tsv` makes a text file tabular.
public enum ContentType {
    /// The type of a file whose first bytes are `prefix` and whose every byte was fed to
    /// `tally`; `filename` only chooses between the text kinds.
    public static func detect(prefix: [UInt8], tally: TextTally, filename: String) -> OutputFileType {
        if let magic = MagicBytes.identify(prefix) { return magic }
        guard tally.isText, TextTally.isUTF8(prefix) else { return .binary }
        if let dialect = TabularDialect.of(prefix: prefix, filename: filename) { return dialect.type }
        if let first = prefix.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }),
           first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return .json
        }
        return .text
    }

    /// The type a file's name claims (by its extension), nil for names that claim none.
    public static func claimed(by filename: String) -> OutputFileType? {
        let name = filename.split(separator: "/").last.map(String.init) ?? filename
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "txt", "md", "log": return .text
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "json": return .json
        case "png": return .png
        case "jpg", "jpeg": return .jpeg
        case "gif": return .gif
        case "pdf": return .pdf
        case "zip": return .zip
        case "gz", "tgz": return .gzip
        case "parquet": return .parquet
        case "npy": return .npy
        case "pkl", "pickle": return .pickle
        default: return nil
        }
    }

    /// Whether content of type `detected` may carry a name claiming `claimed`: the text
    /// kinds are interchangeable (a CSV named `.txt`), the binary ones are not.
    public static func compatible(claimed: OutputFileType, detected: OutputFileType) -> Bool {
        if claimed == detected { return true }
        return claimed.isText && detected.isText
    }
}
