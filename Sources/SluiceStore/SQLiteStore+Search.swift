import Foundation
import GRDB
import SluiceCore

/// The metadata cache's search over SQLite. Every asset write also writes two indexes in
/// the same transaction: `assetText`, an FTS5 table of the full-text fields, and
/// `assetField`, one row per value of the DDO (its path without list indices), which
/// term, match, range and exists clauses read through `(path, value)` indexes. Both are
/// keyed by `assetIndexKey.id`, a stable integer per DID.
extension SQLiteStore: AssetSearchStore {
    public func search(_ search: AssetSearch) async throws -> AssetSearchResult {
        let compiled = SearchCompiler.compile(search)
        return try await writer.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) " + compiled.from, arguments: StatementArguments(compiled.arguments)) ?? 0
            guard search.size > 0, search.from < total else { return AssetSearchResult(total: total, hits: []) }
            let rows = try Row.fetchAll(db, sql: "SELECT a.ddo AS ddo, \(compiled.score) AS score " + compiled.from + compiled.order
                                        + " LIMIT ? OFFSET ?",
                                        arguments: StatementArguments(compiled.arguments + compiled.orderArguments + [search.size.databaseValue, search.from.databaseValue]))
            let decoder = JSONDecoder()
            let hits = try rows.map { row in
                let text: String = row["ddo"]
                return AssetSearchHit(ddo: try decoder.decode(DDO.self, from: Data(text.utf8)), score: row["score"])
            }
            return AssetSearchResult(total: total, hits: hits)
        }
    }

    /// Writes an asset's search rows, replacing the ones it had. Called in the transaction
    /// that writes the asset.
    static func indexForSearch(_ db: Database, did: DID, json: String) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO assetIndexKey (did) VALUES (?)", arguments: [did.text])
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM assetIndexKey WHERE did = ?", arguments: [did.text]) else { return }
        try db.execute(sql: "DELETE FROM assetText WHERE rowid = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM assetField WHERE id = ?", arguments: [id])
        let document = try JSONValue.parse(Array(json.utf8))
        let metadata = document["metadata"]
        let tags = (metadata?["tags"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " ")
        try db.execute(sql: "INSERT INTO assetText (rowid, name, description, tags, author, did) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [id, metadata?["name"]?.stringValue ?? "", metadata?["description"]?.stringValue ?? "",
                                   tags, metadata?["author"]?.stringValue ?? "", did.text])
        let insert = try db.cachedStatement(sql: "INSERT INTO assetField (id, path, folded, number, words) VALUES (?, ?, ?, ?, ?)")
        for leaf in SearchLeaf.leaves(of: document) {
            try insert.execute(arguments: [id, leaf.path, leaf.folded, leaf.number, leaf.words])
        }
    }

    static func createSearchTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE assetIndexKey (id INTEGER PRIMARY KEY, did TEXT NOT NULL UNIQUE);
            CREATE VIRTUAL TABLE assetText USING fts5(name, description, tags, author, did, tokenize = 'unicode61 remove_diacritics 2');
            CREATE TABLE assetField (id INTEGER NOT NULL, path TEXT NOT NULL, folded TEXT, number REAL, words TEXT);
            CREATE INDEX assetField_value ON assetField (path, folded);
            CREATE INDEX assetField_number ON assetField (path, number) WHERE number IS NOT NULL;
            CREATE INDEX assetField_id ON assetField (id, path);
            """)
        for row in try Row.fetchAll(db, sql: "SELECT did, ddo FROM asset") {
            let text: String = row["did"]
            guard let did = DID(text) else { continue }
            try indexForSearch(db, did: did, json: row["ddo"])
        }
    }
}

/// One value of a DDO as the field index keeps it.
struct SearchLeaf {
    var path: String
    /// The value as text, lowercased: what term clauses compare.
    var folded: String?
    /// Numbers, and dates as Unix seconds: what range clauses compare.
    var number: Double?
    /// The words of a string, space-separated: what match clauses look in.
    var words: String?

    /// Longer strings (encrypted file lists, long descriptions) stay in the full-text index only.
    static let maxIndexedBytes = 1024

    static func leaves(of value: JSONValue, path: String = "") -> [SearchLeaf] {
        switch value {
        case .object(let members):
            return members.flatMap { key, member in leaves(of: member, path: path.isEmpty ? key : "\(path).\(key)") }
        case .array(let items):
            return items.flatMap { leaves(of: $0, path: path) }
        case .string(let s):
            guard s.utf8.count <= maxIndexedBytes else { return [] }
            return [SearchLeaf(path: path, folded: s.lowercased(), number: AssetWords.unixSeconds(isoDate: s) ?? Double(s),
                               words: AssetWords.words(s).joined(separator: " "))]
        case .integer(let i): return [SearchLeaf(path: path, folded: String(i), number: Double(i), words: nil)]
        case .number(let d): return [SearchLeaf(path: path, folded: String(d), number: d, words: nil)]
        case .bool(let b): return [SearchLeaf(path: path, folded: b ? "true" : "false", number: nil, words: nil)]
        case .null: return []
        }
    }
}

/// Turns an `AssetSearch` into SQL over `assetIndexKey k` and `asset a`.
struct SearchCompiler: Sendable {
    var from: String
    var arguments: [DatabaseValue]
    var score: String
    var order: String
    var orderArguments: [DatabaseValue]

    static func compile(_ search: AssetSearch) -> SearchCompiler {
        var where_ = Predicate()
        var scored: String?
        var rest = search.query
        // The clause that ranks: a full-text query at the top, or the first in a bool's must.
        switch search.query {
        case .text(let q, let columns):
            if let fts = FTS.expression(q, columns: columns) { scored = fts; rest = .all }
        case .bool(var must, let should, let mustNot, let minimum):
            if let i = must.firstIndex(where: { if case .text(let q, let c) = $0 { return FTS.expression(q, columns: c) != nil }; return false }),
               case .text(let q, let columns) = must[i] {
                scored = FTS.expression(q, columns: columns)
                must.remove(at: i)
                rest = .bool(must: must, should: should, mustNot: mustNot, minimumShould: minimum)
            }
        default: break
        }
        let condition = where_.sql(rest)
        var from: String
        var arguments: [DatabaseValue] = []
        let score: String
        if let scored {
            // CROSS JOIN keeps the text index outermost: SQLite would otherwise drive from a
            // filter and run the MATCH once per candidate row.
            from = "FROM assetText CROSS JOIN assetIndexKey k ON k.id = assetText.rowid CROSS JOIN asset a ON a.did = k.did WHERE assetText MATCH ?"
            arguments.append(scored.databaseValue)
            // The name weighs most, then tags and author (bm25 is lower for better matches).
            score = "-bm25(assetText, 10.0, 1.0, 5.0, 3.0, 2.0)"
        } else {
            from = "FROM assetIndexKey k JOIN asset a ON a.did = k.did WHERE 1"
            score = "1.0"
        }
        if condition != "1" { from += " AND " + condition }
        arguments += where_.arguments.map(\.databaseValue)

        var orderTerms: [String] = []
        var orderArguments: [DatabaseValue] = []
        for sort in search.sort {
            let direction = sort.descending ? "DESC" : "ASC"
            switch sort.key {
            case .score: orderTerms.append("score \(direction)")
            case .field(let field):
                // Lists sort by their least value ascending and their greatest descending, missing values last.
                let pick = sort.descending ? "max" : "min"
                for column in ["number", "folded"] {
                    // INDEXED BY: left to itself SQLite may pick (path, folded) here and scan every
                    // asset's value per row sorted.
                    let value = "(SELECT \(pick)(f.\(column)) FROM assetField f INDEXED BY assetField_id WHERE f.id = k.id AND f.path = ?)"
                    orderTerms.append("\(value) IS NULL, \(value) \(direction)")
                    orderArguments += [field.path.databaseValue, field.path.databaseValue]
                }
            }
        }
        if search.sort.isEmpty, scored != nil { orderTerms.append("score DESC") }
        orderTerms.append("k.id ASC")
        return SearchCompiler(from: from + " ", arguments: arguments, score: score,
                              order: " ORDER BY " + orderTerms.joined(separator: ", "), orderArguments: orderArguments)
    }
}

/// SQL for the clauses that filter, with their arguments in order.
struct Predicate {
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
            return "k.id IN (SELECT id FROM assetField WHERE path = ? AND folded IN (\(values.map { _ in "?" }.joined(separator: ", "))))"
        case .words(let field, let words, let all):
            let parts = words.map { word -> String in
                arguments += [field.path, "% \(word) %"]
                return "k.id IN (SELECT id FROM assetField WHERE path = ? AND (' ' || words || ' ') LIKE ?)"
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
            return "k.id IN (SELECT id FROM assetField WHERE \(conditions.joined(separator: " AND ")))"
        case .exists(let field):
            // A field holding an object or a list exists when any value lies below it.
            arguments += [field.path, field.path + ".%"]
            return "k.id IN (SELECT id FROM assetField WHERE path = ? OR path LIKE ?)"
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
            return "k.id IN (SELECT rowid FROM assetText WHERE assetText MATCH ?)"
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

/// FTS5 query syntax. Words are letters and digits only (AssetWords), so quoting them is safe.
enum FTS {
    static func expression(_ q: TextQuery, columns: [String]?) -> String? {
        guard let inner = expression(q) else { return nil }
        guard let columns, !columns.isEmpty else { return inner }
        return "{\(columns.joined(separator: " "))} : (\(inner))"
    }

    static func expression(_ q: TextQuery) -> String? {
        switch q {
        case .word(let w, let prefix): return prefix ? "\"\(w)\" *" : "\"\(w)\""
        case .phrase(let words): return "\"\(words.joined(separator: " "))\""
        case .column(let column, let inner): return expression(inner).map { "\(column) : (\($0))" }
        case .or(let parts):
            let all = parts.compactMap { expression($0) }
            return all.count == parts.count ? "(" + all.joined(separator: " OR ") + ")" : nil
        case .and(let parts):
            var positive: [String] = [], negative: [String] = []
            for part in parts {
                if case .not(let inner) = part {
                    guard let e = expression(inner) else { return nil }
                    negative.append(e)
                } else {
                    guard let e = expression(part) else { return nil }
                    positive.append(e)
                }
            }
            guard !positive.isEmpty else { return nil }
            let kept = "(" + positive.joined(separator: " AND ") + ")"
            return negative.isEmpty ? kept : "(\(kept) NOT (\(negative.joined(separator: " OR "))))"
        case .not: return nil
        }
    }
}

extension SQLiteStore {
    /// For `make bench`: the median time of a bare FTS5 MATCH count of `word`, the floor of
    /// any full-text search on this database.
    public func benchmarkRawMatch(_ word: String, repetitions: Int) async throws -> Duration {
        try await writer.read { db in
            var times: [Duration] = []
            for _ in 0..<repetitions {
                let start = ContinuousClock.now
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM assetText WHERE assetText MATCH ?", arguments: ["\"\(word)\""])
                times.append(ContinuousClock.now - start)
            }
            return times.sorted()[times.count / 2]
        }
    }
}
