/// The media type a file is served or described with, from its name's extension: one
/// table for result downloads and for file info.
public enum MediaType {
    public static func of(fileName name: some StringProtocol) -> String {
        let last = name.split(separator: "/").last ?? ""
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return "application/octet-stream" }
        switch last[last.index(after: dot)...].lowercased() {
        case "csv": return "text/csv"
        case "json": return "application/json"
        case "txt", "log", "arff": return "text/plain"
        case "py": return "text/x-python"
        case "html": return "text/html"
        case "png": return "image/png"
        case "zip": return "application/zip"
        default: return "application/octet-stream"
        }
    }
}
