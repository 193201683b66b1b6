import Foundation
import GRDB
public import SluiceCore

/// The metadata cache's search over SQLite. Every asset write also writes its search rows
/// in the same transaction: `assetText`, an FTS5 table of the full-text fields;
/// `assetField`, one row per value of the DDO (its path without list indices), which
/// term, match, range and exists clauses read through `(path, value)` indexes; and
/// `assetSortKey`, what sorts read of the commonly sorted fields (SearchSortKeys). All are keyed
/// by `assetIndexKey.id`, a stable integer per DID.
extension SQLiteStore: AssetSearchStore {
    public func search(_ search: AssetSearch) async throws -> AssetSearchResult {
        let compiled = SearchCompiler.compile(search)
        return try await writer.read { db in
            let count = { try Int.fetchOne(db, sql: compiled.countSQL, arguments: StatementArguments(compiled.arguments)) ?? 0 }
            guard search.size > 0 else { return AssetSearchResult(total: try count(), hits: []) }
            let pageArguments = StatementArguments(compiled.arguments + compiled.orderArguments
                                                   + [search.size.databaseValue, search.from.databaseValue])
            let total: Int
            let page: [Row]
            if compiled.pageCounts {
                page = try Row.fetchAll(db, sql: compiled.pageSQL, arguments: pageArguments)
                // An empty page says nothing of how many matched: past the end, count them.
                if let first = page.first { total = first["total"] } else { total = try count() }
            } else {
                total = try count()
                guard search.from < total else { return AssetSearchResult(total: total, hits: []) }
                page = try Row.fetchAll(db, sql: compiled.pageSQL, arguments: pageArguments)
            }
            let ids: [Int64] = page.map { $0["id"] }
            var scores: [Int64: Double] = [:]
            if let sql = compiled.scoresSQL(count: ids.count), let ranked = compiled.ranked {
                for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments([ranked.databaseValue] + ids.map(\.databaseValue))) {
                    scores[row["id"]] = row["score"]
                }
            }
            // The page's DDOs, read by id once the order is known (see SearchCompiler).
            let load = try db.cachedStatement(sql: "SELECT a.ddo FROM assetIndexKey k JOIN asset a ON a.did = k.did WHERE k.id = ?")
            let decoder = JSONDecoder()
            var hits: [AssetSearchHit] = []
            for (id, row) in zip(ids, page) {
                guard let text = try String.fetchOne(load, arguments: [id]) else { continue }
                let score: Double = scores[id] ?? row["score"]
                hits.append(AssetSearchHit(ddo: try decoder.decode(DDO.self, from: Data(text.utf8)), score: score))
            }
            return AssetSearchResult(total: total, hits: hits)
        }
    }

    /// Writes an asset's search rows, replacing the ones it had. Called in the transaction
    /// that writes the asset.
    static func indexForSearch(_ db: Database, did: DID, json: String) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO assetIndexKey (did) VALUES (?)").execute(arguments: [did.text])
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM assetIndexKey WHERE did = ?"), arguments: [did.text]) else { return }
        try db.cachedStatement(sql: "DELETE FROM assetText WHERE rowid = ?").execute(arguments: [id])
        try db.cachedStatement(sql: "DELETE FROM assetField WHERE id = ?").execute(arguments: [id])
        let document = try JSONValue.parse(Array(json.utf8))
        let metadata = document["metadata"]
        let tags = (metadata?["tags"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " ")
        try db.cachedStatement(sql: "INSERT INTO assetText (rowid, name, description, tags, author, did) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [id, metadata?["name"]?.stringValue ?? "", metadata?["description"]?.stringValue ?? "",
                                 tags, metadata?["author"]?.stringValue ?? "", did.text])
        let insert = try db.cachedStatement(sql: "INSERT INTO assetField (id, path, folded, number, words) VALUES (?, ?, ?, ?, ?)")
        for leaf in SearchLeaf.leaves(of: document) {
            try insert.execute(arguments: [id, leaf.path, leaf.folded, leaf.number, leaf.words])
        }
        try SearchSortKeys.write(db, id: id)
    }

    /// The tables of migration v5, as released: they are filled by v6's rebuild.
    static func createSearchTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE assetIndexKey (id INTEGER PRIMARY KEY, did TEXT NOT NULL UNIQUE);
            CREATE VIRTUAL TABLE assetText USING fts5(name, description, tags, author, did, tokenize = 'unicode61 remove_diacritics 2');
            CREATE TABLE assetField (id INTEGER NOT NULL, path TEXT NOT NULL, folded TEXT, number REAL, words TEXT);
            CREATE INDEX assetField_value ON assetField (path, folded);
            CREATE INDEX assetField_number ON assetField (path, number) WHERE number IS NOT NULL;
            CREATE INDEX assetField_id ON assetField (id, path);
            """)
    }

    /// Migration v6: adds the sort keys, makes the value indexes cover the asset id (a term
    /// or range clause then reads the index alone, not a table row per value), and rebuilds
    /// every asset's search rows from its stored DDO, so a database indexed by v5 ends as
    /// one indexed today.
    static func addSortKeysAndReindex(_ db: Database) throws {
        try SearchSortKeys.createTable(db)
        try db.execute(sql: """
            DROP INDEX assetField_value;
            DROP INDEX assetField_number;
            CREATE INDEX assetField_value ON assetField (path, folded, id);
            CREATE INDEX assetField_number ON assetField (path, number, id) WHERE number IS NOT NULL;
            """)
        try db.execute(sql: "DELETE FROM assetText; DELETE FROM assetField")
        let assets = try Row.fetchCursor(db, sql: "SELECT did, ddo FROM asset")
        while let row = try assets.next() {
            let text: String = row["did"]
            guard let did = DID(text) else { continue }
            try indexForSearch(db, did: did, json: row["ddo"])
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
