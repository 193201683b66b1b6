import GRDB
import SluiceCore

/// SQL for the clauses that filter, with their arguments in order.
struct Predicate {
    /// The matching asset's `assetIndexKey.id` in the query the SQL goes into.
    let id: String
    var arguments: [any DatabaseValueConvertible] = []

    mutating func sql(_ query: AssetQuery) -> String {
        switch query {
        case .all:
            return "1"
        case .text(let q, let columns):
            return text(q, columns: columns)
        case .term(let field, let values):
            arguments.append(field.path)
            arguments += values.map { $0.lowercased() }
            return "\(id) IN (SELECT id FROM assetField WHERE path = ? AND folded IN (\(values.map { _ in "?" }.joined(separator: ", "))))"
        case .words(let field, let words, let all):
            let parts = words.map { word -> String in
                arguments += [field.path, "% \(word) %"]
                return "\(id) IN (SELECT id FROM assetField WHERE path = ? AND (' ' || words || ' ') LIKE ?)"
            }
            return "(" + parts.joined(separator: all ? " AND " : " OR ") + ")"
        case .range(let field, let bounds):
            var conditions = ["path = ?", "number IS NOT NULL"]
            arguments.append(field.path)
            for (op, value) in [(">", bounds.greaterThan), (">=", bounds.atLeast), ("<", bounds.lessThan), ("<=", bounds.atMost)] {
                guard let value else { continue }
                conditions.append("number \(op) ?")
                arguments.append(value)
            }
            return "\(id) IN (SELECT id FROM assetField WHERE \(conditions.joined(separator: " AND ")))"
        case .exists(let field):
            // A field holding an object or a list exists when any value lies below it.
            arguments += [field.path, field.path + ".%"]
            return "\(id) IN (SELECT id FROM assetField WHERE path = ? OR path LIKE ?)"
        case .bool(let must, let should, let mustNot, let minimum):
            var parts = must.map { sql($0) }
            parts += mustNot.map { "NOT (\(sql($0)))" }
            if minimum > 0 {
                let any = should.map { "(\(sql($0)))" }
                parts.append(any.isEmpty ? "0" : "(\(any.joined(separator: " + ")) >= \(minimum))")
            }
            return parts.isEmpty ? "1" : "(" + parts.joined(separator: " AND ") + ")"
        }
    }

    /// A full-text clause: one MATCH where FTS5 can say it, else boolean SQL over MATCHes
    /// (FTS5 has no unary NOT).
    mutating func text(_ q: TextQuery, columns: [String]?) -> String {
        if let fts = FTS.expression(q, columns: columns) {
            arguments.append(fts)
            return "\(id) IN (SELECT rowid FROM assetText WHERE assetText MATCH ?)"
        }
        switch q {
        case .and(let parts): return "(" + parts.map { text($0, columns: columns) }.joined(separator: " AND ") + ")"
        case .or(let parts): return "(" + parts.map { text($0, columns: columns) }.joined(separator: " OR ") + ")"
        case .not(let inner): return "NOT (\(text(inner, columns: columns)))"
        case .column(let column, let inner): return text(inner, columns: [column])
        case .word, .phrase: return "0"  // always expressible above
        }
    }
}
