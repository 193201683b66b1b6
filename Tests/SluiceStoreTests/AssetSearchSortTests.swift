import Foundation
import GRDB
import SluiceCore
import Testing
@testable import SluiceStore

/// Sorting through the sort keys kept per asset (SearchSortKeys) and the page's parts
/// computed apart from it: scores of a page sorted on fields, totals counted with the page.
@Suite("Sorting searched assets in the SQLite store")
struct AssetSearchSortTests {
    func search(_ store: any AssetSearchStore, _ json: String) async throws -> AssetSearchResult {
        try await store.search(try ElasticsearchQuery.parse(try JSONValue.parse(Array(json.utf8)), now: 0))
    }

    @Test func theSortKeysHoldWhatTheFieldIndexGives() async throws {
        let store = try await AssetSearchTests.store(AssetSearchTests.assets)
        let (kept, computed) = try store.writer.read { db in
            let kept = try Row.fetchAll(db, sql: """
                SELECT path, id, minNumber, maxNumber, minFolded, maxFolded FROM assetSortKey ORDER BY path, id
                """)
            let paths = SearchSortKeys.paths.sorted().map { "'\($0)'" }.joined(separator: ", ")
            let computed = try Row.fetchAll(db, sql: """
                SELECT path, id, min(number) AS minNumber, max(number) AS maxNumber, min(folded) AS minFolded, max(folded) AS maxFolded
                FROM assetField WHERE path IN (\(paths)) GROUP BY path, id ORDER BY path, id
                """)
            return (kept, computed)
        }
        #expect(kept.count == computed.count)
        #expect(kept == computed)
        // Every asset has a creation date and a name: a row each.
        #expect(kept.filter { $0["path"] == "metadata.created" }.count == AssetSearchTests.assets.count)
    }

    @Test(arguments: StoreKind.allCases) func aFullTextPageSortedOnFieldsKeepsItsScores(_ kind: StoreKind) async throws {
        let store = try await AssetSearchTests.store(AssetSearchTests.assets, kind: kind)
        let ranked = try await search(store, #"{"query": {"query_string": {"query": "weather OR featured"}}, "size": 300}"#)
        let scores = Dictionary(uniqueKeysWithValues: ranked.hits.map { ($0.ddo.id.text, $0.score) })
        for order in ["asc", "desc"] {
            let sorted = try await search(store, """
                {"query": {"query_string": {"query": "weather OR featured"}}, "sort": [{"metadata.created": "\(order)"}], "from": 3, "size": 20}
                """)
            #expect(sorted.total == ranked.total)
            let expected = ranked.hits.map(\.ddo).sorted { order == "asc" ? $0.metadata.created < $1.metadata.created : $0.metadata.created > $1.metadata.created }
            #expect(sorted.hits.map(\.ddo.id) == expected[3..<23].map(\.id))
            for hit in sorted.hits { #expect(hit.score == scores[hit.ddo.id.text]) }
        }
    }

    @Test(arguments: StoreKind.allCases) func keptAndComputedSortKeysOrderAsTheGeneratorDoes(_ kind: StoreKind) async throws {
        // metadata.name is kept in assetSortKey; services.timeout is not, and is computed per match.
        #expect(SearchSortKeys.paths.contains("metadata.name") && !SearchSortKeys.paths.contains("services.timeout"))
        let store = try await AssetSearchTests.store(AssetSearchTests.assets, kind: kind)
        for order in ["asc", "desc"] {
            let byName = try await search(store, #"{"query": {"term": {"metadata.type": "dataset"}}, "sort": [{"metadata.name.keyword": "\#(order)"}], "size": 50}"#)
            let names = AssetSearchTests.assets.filter { $0.type == .dataset }.map { ($0.name.lowercased(), $0.did) }
                .sorted { a, b in order == "asc" ? a.0.utf8.lexicographicallyPrecedes(b.0.utf8) : b.0.utf8.lexicographicallyPrecedes(a.0.utf8) }
            #expect(byName.hits.map(\.ddo.id) == names.prefix(50).map(\.1))
            // Ties on the timeout, broken by the next key.
            let byTimeout = try await search(store, #"{"query": {"match_all": {}}, "sort": [{"services.timeout": "\#(order)"}, {"metadata.created": "asc"}], "size": 300}"#)
            let expected = AssetSearchTests.assets.sorted { a, b in
                a.timeout != b.timeout ? (order == "asc" ? a.timeout < b.timeout : a.timeout > b.timeout) : a.created < b.created
            }
            #expect(byTimeout.hits.map(\.ddo.id) == expected.map(\.did))
        }
    }

    @Test(arguments: StoreKind.allCases) func aPageCountedWithItsSortKnowsItsTotalPastTheEnd(_ kind: StoreKind) async throws {
        let store = try await AssetSearchTests.store(AssetSearchTests.assets, kind: kind)
        let datasets = AssetSearchTests.assets.filter { $0.type == .dataset }.count
        let past = try await search(store, #"{"query": {"term": {"metadata.type": "dataset"}}, "sort": [{"metadata.name": "asc"}], "from": 250, "size": 10}"#)
        #expect(past.total == datasets)
        #expect(past.hits.isEmpty)
        let none = try await search(store, #"{"query": {"query_string": {"query": "nosuchword"}}, "sort": [{"metadata.name": "asc"}]}"#)
        #expect(none.total == 0)
        #expect(none.hits.isEmpty)
        let counted = try await search(store, #"{"query": {"term": {"metadata.type": "dataset"}}, "sort": [{"metadata.name": "asc"}], "size": 0}"#)
        #expect(counted.total == datasets)
    }
}
