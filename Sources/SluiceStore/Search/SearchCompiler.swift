import GRDB
import SluiceCore

/// Turns an `AssetSearch` into SQL: a count of the matching assets, and the page of their
/// ids and scores, in order. Neither reads `asset`: a DDO is large, and a sort that carried
/// every match's DDO would spend most of its time moving them. The page's DDOs are read
/// afterwards, by id (`SQLiteStore.search`).
///
/// Every row of the search tables belongs to an asset (both are written in the asset's
/// transaction, and assets are never deleted), so matching needs no join with `asset`.
struct SearchCompiler: Sendable {
    /// The tables matches come from and the condition they meet, shared by every statement.
    var source: String
    var condition: String
    var arguments: [DatabaseValue]
    /// The match's `assetIndexKey.id`.
    var id: String
    /// The FTS5 expression that ranks the matches, if any.
    var ranked: String?
    /// Whether the page's order needs every match's score. When it does not (a sort on
    /// fields only), bm25 runs for the page's rows alone, afterwards (`scoresSQL`): it is
    /// most of the cost of a full-text page otherwise.
    var scoreInPage: Bool
    /// Joins only the page needs: the sort key rows its order reads.
    var sortJoins: String
    var order: String
    var orderArguments: [DatabaseValue]

    /// The name weighs most, then tags and author (bm25 is lower for better matches).
    static let score = "-bm25(assetText, 10.0, 1.0, 5.0, 3.0, 2.0)"

    /// Whether the page statement also counts the matches (a window over all of them): when
    /// it sorts on fields it reads every match anyway, and a count would read them again.
    /// (Not beside bm25, which FTS5 refuses in a windowed statement.)
    var pageCounts = false

    var countSQL: String { "SELECT count(*) FROM \(source) WHERE \(condition)" }

    /// Takes `LIMIT` and `OFFSET` after `arguments` and `orderArguments`; gives `id`,
    /// `score` (1 without full text; 0 where `scoresSQL` gives it) and, if `pageCounts`, `total`.
    var pageSQL: String {
        let score = scoreInPage ? Self.score : ranked == nil ? "1.0" : "0.0"
        let total = pageCounts ? ", count(*) OVER () AS total" : ""
        return "SELECT \(id) AS id, \(score) AS score\(total) FROM \(source)\(sortJoins) WHERE \(condition)\(order) LIMIT ? OFFSET ?"
    }

    /// The scores of `count` ids (arguments: `ranked`, then the ids), when the page had
    /// none. A scan of the matches that scores only these: bm25 gives a row the same score
    /// whichever rows a statement keeps (its statistics are of the whole table).
    func scoresSQL(count: Int) -> String? {
        guard ranked != nil, !scoreInPage, count > 0 else { return nil }
        let list = Array(repeating: "?", count: count).joined(separator: ", ")
        return "SELECT rowid AS id, \(Self.score) AS score FROM assetText WHERE assetText MATCH ? AND +rowid IN (\(list))"
    }

    static func compile(_ search: AssetSearch) -> SearchCompiler {
        var ranked: String?
        var rest = search.query
        // The clause that ranks: a full-text query at the top, or the first in a bool's must.
        switch search.query {
        case .text(let q, let columns):
            if let fts = FTS.expression(q, columns: columns) { ranked = fts; rest = .all }
        case .bool(var must, let should, let mustNot, let minimum):
            if let i = must.firstIndex(where: { if case .text(let q, let c) = $0 { return FTS.expression(q, columns: c) != nil }; return false }),
               case .text(let q, let columns) = must[i] {
                ranked = FTS.expression(q, columns: columns)
                must.remove(at: i)
                rest = .bool(must: must, should: should, mustNot: mustNot, minimumShould: minimum)
            }
        default: break
        }
        let scoreInPage = ranked != nil && (search.sort.isEmpty || search.sort.contains { $0.key == .score })
        var compiled: SearchCompiler
        if let ranked {
            // The text index alone is the source: its rowid is the asset's id. The filters'
            // `+rowid IN (...)` keeps SQLite from handing those ids to FTS5 as a constraint,
            // which would run the MATCH once per candidate instead of once.
            var predicate = Predicate(id: "+assetText.rowid")
            let condition = predicate.sql(rest)
            compiled = SearchCompiler(source: "assetText", condition: "assetText MATCH ?" + (condition == "1" ? "" : " AND " + condition),
                                      arguments: [ranked.databaseValue] + predicate.arguments.map(\.databaseValue),
                                      id: "assetText.rowid", ranked: ranked, scoreInPage: scoreInPage,
                                      sortJoins: "", order: "", orderArguments: [])
        } else {
            var predicate = Predicate(id: "k.id")
            let condition = predicate.sql(rest)
            compiled = SearchCompiler(source: "assetIndexKey k", condition: condition, arguments: predicate.arguments.map(\.databaseValue),
                                      id: "k.id", ranked: nil, scoreInPage: false, sortJoins: "", order: "", orderArguments: [])
        }
        compiled.addOrder(search.sort)
        return compiled
    }

    private mutating func addOrder(_ sorts: [AssetSort]) {
        var terms: [String] = []
        for sort in sorts {
            let direction = sort.descending ? "DESC" : "ASC"
            switch sort.key {
            case .score: terms.append("score \(direction)")
            case .field(let field):
                // Lists sort by their least value ascending and their greatest descending, missing values last.
                var alias: String?
                if SearchSortKeys.paths.contains(field.path) {
                    let name = "s\(terms.count)"
                    // The path is one of SearchSortKeys' constants (checked above), so inlining it is safe.
                    sortJoins += " LEFT JOIN assetSortKey \(name) ON \(name).path = '\(field.path)' AND \(name).id = \(id)"
                    alias = name
                }
                for kind in ["number", "folded"] {
                    let value: String
                    if let alias {
                        value = "\(alias).\(SearchSortKeys.column(descending: sort.descending, kind: kind))"
                    } else {
                        // INDEXED BY: left to itself SQLite may pick (path, folded) here and scan every
                        // asset's value per row sorted.
                        value = "(SELECT \(sort.descending ? "max" : "min")(f.\(kind)) FROM assetField f INDEXED BY assetField_id WHERE f.id = \(id) AND f.path = ?)"
                        orderArguments += [field.path.databaseValue, field.path.databaseValue]
                    }
                    terms.append("\(value) IS NULL, \(value) \(direction)")
                }
            }
        }
        if sorts.isEmpty, ranked != nil { terms.append("score DESC") }
        pageCounts = !scoreInPage && !sorts.isEmpty
        terms.append("\(id) ASC")
        order = " ORDER BY " + terms.joined(separator: ", ")
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
