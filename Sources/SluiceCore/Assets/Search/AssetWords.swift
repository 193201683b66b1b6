import Foundation

/// How asset text splits into words, the same at indexing and at query time: runs of
/// letters and digits, lowercased, accents removed (SQLite FTS5's `unicode61` does the same).
public enum AssetWords {
    public static func words(_ text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        var words: [String] = []
        var current = ""
        for scalar in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Unix seconds of an ISO 8601 date (`2024-01-31`, `2024-01-31T12:00:00Z`, with fractions
    /// or an offset; a time without a zone is UTC), nil for anything else.
    public static func unixSeconds(isoDate text: String) -> Double? {
        guard text.count >= 10, text.count <= 40, text.first?.isNumber == true else { return nil }
        for formatter in isoFormatters {
            if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        }
        return nil
    }

    // Formatters are thread-safe for reading once configured.
    private nonisolated(unsafe) static let isoFormatters: [ISO8601DateFormatter] = {
        let options: [ISO8601DateFormatter.Options] = [
            // Fractional forms first: the others accept a fraction and drop it.
            [.withInternetDateTime, .withFractionalSeconds],
            [.withInternetDateTime],
            [.withFullDate, .withTime, .withDashSeparatorInDate, .withColonSeparatorInTime, .withFractionalSeconds],
            [.withFullDate, .withTime, .withDashSeparatorInDate, .withColonSeparatorInTime],
            [.withFullDate, .withDashSeparatorInDate],
        ]
        return options.map { o in
            let f = ISO8601DateFormatter()
            f.formatOptions = o
            f.timeZone = TimeZone(identifier: "UTC")
            return f
        }
    }()
}
