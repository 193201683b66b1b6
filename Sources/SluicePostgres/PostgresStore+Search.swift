import Foundation
import Logging
import PostgresNIO
public import SluiceCore

/// The metadata cache's search over PostgreSQL. Every asset write also writes its search
/// rows in the same transaction: `assetText`, one tsvector per full-text column and their
/// weighted concatenation `document` (GIN-indexed); and `assetField`, one row per value of
/// the DDO (its path without list indices), which term, match, range and exists clauses
/// read through `(path, value)` indexes. Both are keyed by `assetIndexKey.id`, a stable
/// integer per DID. Sorts on fields read `assetField` per match.
extension PostgresStore: AssetSearchStore {
    public func search(_ search: AssetSearch) async throws -> AssetSearchResult {
        var sql = PostgresSearchSQL()
        let condition = sql.condition(search.query, id: "k.id")
        let countBindings = sql.bindings
        var score = "1.0::float8"
        let ranked = PostgresTextQuery.ranked(search.query)
        if let ranked {
            let q = sql.bind(PostgresTextQuery.tsquery(ranked))
            score = #"(SELECT ts_rank(t.document, \#(q)::tsquery)::float8 FROM "assetText" t WHERE t.id = k.id)"#
        }
        let order = Self.order(search.sort, ranked: ranked != nil, sql: &sql)
        let limit = sql.bind(search.size), offset = sql.bind(search.from)
        let countSQL = #"SELECT count(*)::int8 FROM "assetIndexKey" k WHERE \#(condition)"#
        let pageSQL = #"SELECT k.id, \#(score) AS score FROM "assetIndexKey" k WHERE \#(condition) ORDER BY \#(order) LIMIT \#(limit) OFFSET \#(offset)"#
        let pageBindings = sql.bindings
        return try await client.withConnection { connection in
            var total = 0
            for try await count in try await connection.query(PostgresQuery(unsafeSQL: countSQL, binds: countBindings), logger: self.logger)
                .decode(Int.self) { total = count }
            guard search.size > 0, search.from < total else { return AssetSearchResult(total: total, hits: []) }
            var page: [(Int64, Double)] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: pageSQL, binds: pageBindings), logger: self.logger)
                .decode((Int64, Double).self) { page.append(row) }
            // The page's DDOs, read by id once the order is known.
            var ddos: [Int64: String] = [:]
            let ids = page.map(\.0)
            let rows = try await connection.query(#"""
                SELECT k.id, a.ddo FROM "assetIndexKey" k JOIN asset a ON a.did = k.did WHERE k.id = ANY(\#(ids))
                """#, logger: self.logger)
            for try await (id, ddo) in rows.decode((Int64, String).self) { ddos[id] = ddo }
            let decoder = JSONDecoder()
            var hits: [AssetSearchHit] = []
            for (id, score) in page {
                guard let text = ddos[id] else { continue }
                hits.append(AssetSearchHit(ddo: try decoder.decode(DDO.self, from: Data(text.utf8)), score: score))
            }
            return AssetSearchResult(total: total, hits: hits)
        }
    }

    /// `ORDER BY` terms: each sort field's least value ascending or greatest descending,
    /// numbers before text, missing values last; then the score when ranked and unsorted,
    /// and the id, so pages never overlap.
    static func order(_ sorts: [AssetSort], ranked: Bool, sql: inout PostgresSearchSQL) -> String {
        var terms: [String] = []
        for sort in sorts {
            let direction = sort.descending ? "DESC" : "ASC"
            switch sort.key {
            case .score: terms.append("score \(direction)")
            case .field(let field):
                for kind in ["number", "folded"] {
                    let path = sql.bind(field.path)
                    // Text compares as SQLite's does, byte by byte.
                    let collate = kind == "folded" ? #" COLLATE "C""# : ""
                    let value = #"(SELECT \#(sort.descending ? "max" : "min")(f.\#(kind)\#(collate)) FROM "assetField" f WHERE f.id = k.id AND f.path = \#(path))"#
                    terms.append("\(value) IS NULL, \(value)\(collate) \(direction)")
                }
            }
        }
        if sorts.isEmpty, ranked { terms.append("score DESC") }
        terms.append("k.id ASC")
        return terms.joined(separator: ", ")
    }

    /// Writes an asset's search rows, replacing the ones it had. Called in the transaction
    /// that writes the asset.
    static func indexForSearch(_ connection: PostgresConnection, did: DID, json: String, logger: Logger) async throws {
        var id: Int64?
        let rows = try await connection.query(#"""
            INSERT INTO "assetIndexKey" (did) VALUES (\#(did.text)) ON CONFLICT (did) DO UPDATE SET did = excluded.did RETURNING id
            """#, logger: logger)
        for try await value in rows.decode(Int64.self) { id = value }
        guard let id else { return }
        try await connection.query(#"DELETE FROM "assetText" WHERE id = \#(id)"#, logger: logger)
        try await connection.query(#"DELETE FROM "assetField" WHERE id = \#(id)"#, logger: logger)
        let document = try JSONValue.parse(Array(json.utf8))
        let metadata = document["metadata"]
        let tags = (metadata?["tags"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " ")
        let texts = ["name": metadata?["name"]?.stringValue ?? "", "description": metadata?["description"]?.stringValue ?? "",
                     "tags": tags, "author": metadata?["author"]?.stringValue ?? "", "did": did.text]
        let columns = PostgresTextQuery.columns.map { PostgresTextQuery.vector(words: AssetWords.words(texts[$0] ?? "")) }
        let weighted = PostgresTextQuery.columns.enumerated().map { i, column in
            "setweight($\(i + 2)::tsvector, '\(PostgresTextQuery.weights[column] ?? "D")')"
        }
        var bindings = PostgresBindings()
        bindings.append(id)
        for vector in columns { bindings.append(vector) }
        let names = PostgresTextQuery.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let values = PostgresTextQuery.columns.indices.map { "$\($0 + 2)::tsvector" }.joined(separator: ", ")
        try await connection.query(PostgresQuery(unsafeSQL: #"""
            INSERT INTO "assetText" (id, \#(names), document) VALUES ($1, \#(values), \#(weighted.joined(separator: " || ")))
            """#, binds: bindings), logger: logger)
        try await insertFields(connection, id: id, leaves: SearchLeaf.leaves(of: document), logger: logger)
    }

    /// An asset's `assetField` rows in one statement: the columns as arrays, with a flag
    /// array per nullable column (postgres-nio binds no arrays of optionals). PostgreSQL's
    /// text holds no NUL character, which a DDO's JSON may: it is dropped from the indexed
    /// copies (the stored DDO keeps it, escaped).
    static func insertFields(_ connection: PostgresConnection, id: Int64, leaves: [SearchLeaf], logger: Logger) async throws {
        guard !leaves.isEmpty else { return }
        func text(_ value: String?) -> String { (value ?? "").replacingOccurrences(of: "\u{0}", with: "") }
        let paths = leaves.map { text($0.path) }
        let folded = leaves.map { text($0.folded) }, foldedNull = leaves.map { $0.folded == nil }
        let numbers = leaves.map { $0.number ?? 0 }, numberNull = leaves.map { $0.number == nil }
        let words = leaves.map { text($0.words) }, wordsNull = leaves.map { $0.words == nil }
        try await connection.query(#"""
            INSERT INTO "assetField" (id, path, folded, number, words)
            SELECT \#(id), p, CASE WHEN fn THEN NULL ELSE f END, CASE WHEN nn THEN NULL ELSE n END, CASE WHEN wn THEN NULL ELSE w END
            FROM unnest(\#(paths)::text[], \#(folded)::text[], \#(foldedNull)::bool[], \#(numbers)::float8[], \#(numberNull)::bool[],
                        \#(words)::text[], \#(wordsNull)::bool[]) AS u(p, f, fn, n, nn, w, wn)
            """#, logger: logger)
    }

    /// The tables of migration v5.
    static let searchTables: [String] = [
        #"CREATE TABLE "assetIndexKey" (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, did TEXT NOT NULL UNIQUE)"#,
        #"""
        CREATE TABLE "assetText" (id BIGINT PRIMARY KEY, name TSVECTOR NOT NULL, description TSVECTOR NOT NULL,
                                  tags TSVECTOR NOT NULL, author TSVECTOR NOT NULL, did TSVECTOR NOT NULL, document TSVECTOR NOT NULL)
        """#,
        #"CREATE INDEX "assetText_document" ON "assetText" USING GIN (document)"#,
        #"CREATE TABLE "assetField" (id BIGINT NOT NULL, path TEXT NOT NULL, folded TEXT, number DOUBLE PRECISION, words TEXT)"#,
        #"CREATE INDEX "assetField_value" ON "assetField" (path, folded, id)"#,
        #"CREATE INDEX "assetField_number" ON "assetField" (path, number, id) WHERE number IS NOT NULL"#,
        #"CREATE INDEX "assetField_id" ON "assetField" (id, path)"#,
    ]
}
