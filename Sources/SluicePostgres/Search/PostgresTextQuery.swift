import Foundation
import SluiceCore

/// PostgreSQL's full-text forms of what the text index holds and what queries ask.
/// Words are letters and digits only (AssetWords), so quoting them as lexemes is safe.
enum PostgresTextQuery {
    /// The columns of `assetText`, each a tsvector of one field's words (AssetField.textColumns).
    static let columns = AssetField.textColumns.map(\.column)

    /// The weight of each column in `document`, the vector ranking reads: the name weighs
    /// most, then tags, then author, then the description and the DID.
    static let weights: [String: String] = ["name": "A", "tags": "B", "author": "C", "description": "D", "did": "D"]

    /// A tsvector literal of `words` at positions 1, 2, ...: phrases match consecutive words.
    static func vector(words: [String]) -> String {
        words.prefix(16_000).enumerated().map { "\(lexeme($0.element)):\($0.offset + 1)" }.joined(separator: " ")
    }

    /// A quoted lexeme. Words hold no quote or backslash (AssetWords); escaped all the same.
    static func lexeme(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// The vector a clause on `columns` (nil: all) reads.
    static func vector(_ columns: [String]?) -> String {
        guard let columns, !columns.isEmpty else { return "document" }
        let known = columns.filter(Self.columns.contains)
        guard !known.isEmpty else { return "''::tsvector" }
        return "(" + known.map { "\"\($0)\"" }.joined(separator: " || ") + ")"
    }

    static func namesColumn(_ q: TextQuery) -> Bool {
        switch q {
        case .word, .phrase: return false
        case .column: return true
        case .and(let parts), .or(let parts): return parts.contains(where: namesColumn)
        case .not(let inner): return namesColumn(inner)
        }
    }

    /// The tsquery of `q`, column restrictions left out (what ranking reads).
    static func tsquery(_ q: TextQuery) -> String {
        switch q {
        case .word(let w, let prefix): return prefix ? "\(lexeme(w)):*" : lexeme(w)
        case .phrase(let words): return words.isEmpty ? "''" : "(" + words.map(lexeme).joined(separator: " <-> ") + ")"
        case .column(_, let inner): return tsquery(inner)
        case .and(let parts): return "(" + parts.map(tsquery).joined(separator: " & ") + ")"
        case .or(let parts): return "(" + parts.map(tsquery).joined(separator: " | ") + ")"
        case .not(let inner): return "!(\(tsquery(inner)))"
        }
    }

    /// The clause a search ranks by: a full-text query at the top, or the first in a bool's must.
    static func ranked(_ query: AssetQuery) -> TextQuery? {
        switch query {
        case .text(let q, _): return q
        case .bool(let must, _, _, _):
            for clause in must { if case .text(let q, _) = clause { return q } }
            return nil
        default: return nil
        }
    }
}
