import Foundation
import GRDB
import SluiceCore
import Testing
@testable import SluiceStore

/// Migration v6 on a database a v5 node left: its search rows are rebuilt from the stored
/// DDOs, with the sort keys and the covering value indexes.
@Suite("Upgrading the asset search index from v5")
struct AssetSearchMigrationTests {
    @Test func aV5DatabaseIsReindexedFromItsDDOs() async throws {
        let assets = Array(AssetSearchTests.assets.prefix(40))
        let queue = try DatabaseQueue()
        try SQLiteStore.migrator.migrate(queue, upTo: "v5-asset-search")
        try await queue.write { db in
            for (i, generated) in assets.enumerated() {
                let ddo = AssetSearchTests.ddo(generated)
                try db.execute(sql: "INSERT INTO asset (did, nftAddress, ddo, created, updated) VALUES (?, ?, ?, 0, 0)",
                               arguments: [ddo.id.text, ddo.nftAddress.lowercased, try SQLiteStore.encode(ddo)])
                // What v5 left for the first assets, one of them out of date: v6 must not keep it.
                if i < 2 {
                    try db.execute(sql: "INSERT INTO assetIndexKey (did) VALUES (?)", arguments: [ddo.id.text])
                    try db.execute(sql: "INSERT INTO assetText (rowid, name, description, tags, author, did) VALUES (?, 'Stale quasar', '', '', '', ?)",
                                   arguments: [db.lastInsertedRowID, ddo.id.text])
                    try db.execute(sql: "INSERT INTO assetField (id, path, folded) VALUES (?, 'metadata.type', 'stale')",
                                   arguments: [db.lastInsertedRowID])
                }
            }
        }
        let store = try SQLiteStore(writer: queue)
        let applied = try await queue.read { db in try SQLiteStore.migrator.appliedIdentifiers(db) }
        #expect(applied.contains("v6-asset-sort-keys"))

        func search(_ json: String) async throws -> AssetSearchResult {
            try await store.search(try ElasticsearchQuery.parse(try JSONValue.parse(Array(json.utf8)), now: 0))
        }
        #expect(try await search(#"{"query": {"query_string": {"query": "quasar"}}}"#).total == 0)
        #expect(try await search(#"{"query": {"term": {"metadata.type": "stale"}}}"#).total == 0)
        #expect(try await search(#"{"query": {"match_all": {}}}"#).total == assets.count)
        let algorithms = try await search(#"{"query": {"term": {"metadata.type": "algorithm"}}, "sort": [{"metadata.created": "desc"}], "size": 40}"#)
        #expect(algorithms.hits.map(\.ddo.id) == assets.filter { $0.type == .algorithm }.sorted { $0.created > $1.created }.map(\.did))
        let text = try await search(#"{"query": {"query_string": {"query": "genome"}}, "size": 40}"#)
        #expect(Set(text.hits.map(\.ddo.id.text)) == Set(assets.filter { $0.name.hasPrefix("Genome") || $0.tags[0] == "genome" }.map(\.did.text)))
        // Each asset once in every index, the value index now covering the id.
        let counts = try await queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM assetIndexKey") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM assetText") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(DISTINCT id) FROM assetSortKey WHERE path = 'metadata.created'") ?? 0,
             try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'assetField_value'") ?? "")
        }
        #expect(counts.0 == assets.count && counts.1 == assets.count && counts.2 == assets.count)
        #expect(counts.3.contains("folded, id"))
    }
}
