import PostgresNIO
import SluiceCore

/// SQL text with its bound values, built clause by clause: `bind` returns the next `$n`.
struct PostgresSearchSQL {
    var bindings = PostgresBindings()

    mutating func bind(_ value: String) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    mutating func bind(_ value: Double) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    mutating func bind(_ value: Int) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    /// The filter of `query` on the asset whose `assetIndexKey.id` is `id`.
    mutating func condition(_ query: AssetQuery, id: String) -> String {
        switch query {
        case .all:
            return "TRUE"
        case .text(let q, let columns):
            return #"\#(id) IN (SELECT id FROM "assetText" WHERE \#(text(q, columns: columns)))"#
        case .term(let field, let values):
            let path = bind(field.path)
            let list = values.map { bind($0.lowercased()) }.joined(separator: ", ")
            return #"\#(id) IN (SELECT id FROM "assetField" WHERE path = \#(path) AND folded IN (\#(list)))"#
        case .words(let field, let words, let all):
            let parts = words.map { word -> String in
                let path = bind(field.path), pattern = bind("% \(word) %")
                return #"\#(id) IN (SELECT id FROM "assetField" WHERE path = \#(path) AND (' ' || words || ' ') LIKE \#(pattern))"#
            }
            return "(" + parts.joined(separator: all ? " AND " : " OR ") + ")"
        case .range(let field, let bounds):
            var conditions = ["path = \(bind(field.path))", "number IS NOT NULL"]
            for (op, value) in [(">", bounds.greaterThan), (">=", bounds.atLeast), ("<", bounds.lessThan), ("<=", bounds.atMost)] {
                guard let value else { continue }
                conditions.append("number \(op) \(bind(value))")
            }
            return #"\#(id) IN (SELECT id FROM "assetField" WHERE \#(conditions.joined(separator: " AND ")))"#
        case .exists(let field):
            // A field holding an object or a list exists when any value lies below it.
            let path = bind(field.path), below = bind(field.path + ".%")
            return #"\#(id) IN (SELECT id FROM "assetField" WHERE path = \#(path) OR path LIKE \#(below))"#
        case .bool(let must, let should, let mustNot, let minimum):
            var parts = must.map { condition($0, id: id) }
            parts += mustNot.map { "NOT (\(condition($0, id: id)))" }
            if minimum > 0 {
                let any = should.map { "(\(condition($0, id: id)))::int" }
                parts.append(any.isEmpty ? "FALSE" : "(\(any.joined(separator: " + ")) >= \(minimum))")
            }
            return parts.isEmpty ? "TRUE" : "(" + parts.joined(separator: " AND ") + ")"
        }
    }

    /// A full-text clause over a row of `assetText`: one `@@` of the columns' vectors where
    /// the expression names no column, else boolean SQL over `@@`s.
    mutating func text(_ q: TextQuery, columns: [String]?) -> String {
        if !PostgresTextQuery.namesColumn(q) {
            return "\(PostgresTextQuery.vector(columns)) @@ \(bind(PostgresTextQuery.tsquery(q)))::tsquery"
        }
        switch q {
        case .and(let parts): return "(" + parts.map { text($0, columns: columns) }.joined(separator: " AND ") + ")"
        case .or(let parts): return "(" + parts.map { text($0, columns: columns) }.joined(separator: " OR ") + ")"
        case .not(let inner): return "NOT (\(text(inner, columns: columns)))"
        case .column(let column, let inner): return text(inner, columns: [column])
        case .word, .phrase: return "FALSE"  // name no column: handled above
        }
    }
}
