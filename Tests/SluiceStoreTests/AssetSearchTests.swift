import Foundation
import SluiceCore
import Testing
@testable import SluiceStore

/// Each clause of the metadata cache's query against a few hundred generated assets,
/// checked against what the generator knows of each.
@Suite("Searching assets in the store (SQLite and PostgreSQL)")
struct AssetSearchTests {
    struct Generated {
        let did: DID
        let name: String
        let type: AssetType
        let tags: [String]
        let author: String
        let created: Int
        let timeout: Int
    }

    static let words = ["branin", "weather", "genome", "traffic", "credit", "retail", "energy", "satellite"]
    static let authors = ["Alice Liddell", "Bob Marley", "Carol Danvers"]

    static func make(count: Int) -> [Generated] {
        (0..<count).map { i in
            let hex = String(format: "%064x", i + 1)
            return Generated(
                did: DID("did:op:" + hex)!, name: "\(words[i % words.count].capitalized) set \(i)",
                type: i % 3 == 0 ? .algorithm : .dataset, tags: [words[(i / 2) % words.count], i % 5 == 0 ? "featured" : "plain"],
                author: authors[i % authors.count], created: 1_700_000_000 + i * 3600, timeout: (i % 4) * 100)
        }
    }

    static func ddo(_ g: Generated) -> DDO {
        let nft = String(format: "0x%040x", Int(g.did.text.suffix(8), radix: 16) ?? 0)
        let metadata = AssetMetadata(
            created: DDODate.string(unixSeconds: g.created), updated: DDODate.string(unixSeconds: g.created), type: g.type,
            name: g.name, description: "A \(g.type.rawValue) about \(g.tags[0]) from the generator", author: g.author,
            license: "CC0", tags: g.tags)
        let address = EthereumAddress(nft)!
        let service = AssetService(id: "1", type: .compute, files: "0x00", datatokenAddress: address, serviceEndpoint: "http://x",
                                   timeout: g.timeout)
        return DDO(id: g.did, chainId: 8996, nftAddress: address, metadata: metadata, services: [service],
                   nft: NFTSummary(address: nft, name: "n", symbol: "S", state: 0, owner: nft, created: metadata.created),
                   datatokens: [])
    }

    static func store(_ assets: [Generated]) async throws -> SQLiteStore {
        let store = try SQLiteStore.inMemory()
        try await store.applyIndexed(assets.map(ddo), cursor: ChainCursor(chainId: 8996, blockNumber: 1, blockHash: "0x00"))
        return store
    }

    /// The same assets in a fresh store of `kind`.
    static func store(_ assets: [Generated], kind: StoreKind) async throws -> any AnyStore {
        let store = try await kind.open()
        try await store.applyIndexed(assets.map(ddo), cursor: ChainCursor(chainId: 8996, blockNumber: 1, blockHash: "0x00"))
        return store
    }

    static let assets = make(count: 300)

    func dids(_ store: any AssetSearchStore, _ json: String) async throws -> Set<String> {
        let search = try ElasticsearchQuery.parse(try JSONValue.parse(Array(json.utf8)), now: 1_800_000_000)
        var all = search
        all.from = 0
        all.size = ElasticsearchQuery.maxWindow
        let result = try await store.search(all)
        #expect(result.total == result.hits.count)
        return Set(result.hits.map(\.ddo.id.text))
    }

    func expected(_ keep: (Generated) -> Bool) -> Set<String> { Set(Self.assets.filter(keep).map(\.did.text)) }

    @Test(arguments: StoreKind.allCases) func everyClauseFindsWhatItShould(_ kind: StoreKind) async throws {
        let store = try await Self.store(Self.assets, kind: kind)
        #expect(try await dids(store, #"{"query": {"match_all": {}}}"#).count == 300)
        #expect(try await dids(store, #"{"query": {"query_string": {"query": "Branin"}}}"#) == expected { $0.name.hasPrefix("Branin") || $0.tags[0] == "branin" })
        #expect(try await dids(store, #"{"query": {"query_string": {"query": "metadata.name:branin"}}}"#) == expected { $0.name.hasPrefix("Branin") })
        #expect(try await dids(store, #"{"query": {"query_string": {"query": "genom*"}}}"#) == expected { $0.name.hasPrefix("Genome") || $0.tags[0] == "genome" })
        #expect(try await dids(store, #"{"query": {"query_string": {"query": "\"Alice Liddell\" AND featured"}}}"#)
                == expected { $0.author == "Alice Liddell" && $0.tags[1] == "featured" })
        #expect(try await dids(store, #"{"query": {"query_string": {"query": "NOT featured"}}}"#) == expected { $0.tags[1] != "featured" })
        let one = Self.assets[42].did.text
        #expect(try await dids(store, #"{"query": {"query_string": {"query": "\#(one.replacingOccurrences(of: ":", with: "\\\\:"))"}}}"#) == [one])
        #expect(try await dids(store, #"{"query": {"term": {"metadata.type": "algorithm"}}}"#) == expected { $0.type == .algorithm })
        #expect(try await dids(store, #"{"query": {"term": {"metadata.author.keyword": "bob marley"}}}"#) == expected { $0.author == "Bob Marley" })
        #expect(try await dids(store, #"{"query": {"terms": {"metadata.tags": ["energy", "retail"]}}}"#)
                == expected { ["energy", "retail"].contains($0.tags[0]) })
        #expect(try await dids(store, #"{"query": {"term": {"services.timeout": 300}}}"#) == expected { $0.timeout == 300 })
        #expect(try await dids(store, #"{"query": {"match": {"metadata.author": "carol"}}}"#) == expected { $0.author.hasPrefix("Carol") })
        #expect(try await dids(store, #"{"query": {"match": {"metadata.license": "cc0"}}}"#).count == 300)
        #expect(try await dids(store, #"{"query": {"range": {"services.timeout": {"gte": 100, "lt": 300}}}}"#)
                == expected { $0.timeout >= 100 && $0.timeout < 300 })
        #expect(try await dids(store, #"{"query": {"range": {"metadata.created": {"gt": "\#(DDODate.string(unixSeconds: 1_700_000_000 + 250 * 3600))"}}}}"#)
                == expected { $0.created > 1_700_000_000 + 250 * 3600 })
        #expect(try await dids(store, #"{"query": {"exists": {"field": "metadata.tags"}}}"#).count == 300)
        #expect(try await dids(store, #"{"query": {"exists": {"field": "metadata.algorithm"}}}"#).isEmpty)
        #expect(try await dids(store, """
            {"query": {"bool": {"must": [{"query_string": {"query": "weather OR traffic"}}],
                                "filter": [{"term": {"metadata.type": "dataset"}}],
                                "must_not": [{"term": {"metadata.tags": "featured"}}]}}}
            """) == expected { ($0.name.hasPrefix("Weather") || $0.name.hasPrefix("Traffic") || ["weather", "traffic"].contains($0.tags[0]))
                               && $0.type == .dataset && $0.tags[1] != "featured" })
        #expect(try await dids(store, """
            {"query": {"bool": {"should": [{"term": {"metadata.tags": "featured"}}, {"term": {"metadata.type": "algorithm"}}],
                                "minimum_should_match": 2}}}
            """) == expected { $0.tags[1] == "featured" && $0.type == .algorithm })
        #expect(try await dids(store, #"{"query": {"bool": {"should": [{"term": {"metadata.tags": "featured"}}, {"term": {"metadata.type": "algorithm"}}]}}}"#)
                == expected { $0.tags[1] == "featured" || $0.type == .algorithm })
    }

    @Test(arguments: StoreKind.allCases) func pagesAndSortsAsAsked(_ kind: StoreKind) async throws {
        let store = try await Self.store(Self.assets, kind: kind)
        let search = try ElasticsearchQuery.parse(try JSONValue.parse(Array(#"""
            {"query": {"term": {"metadata.type": "dataset"}}, "sort": [{"metadata.created": "desc"}], "from": 10, "size": 5}
            """#.utf8)), now: 0)
        let page = try await store.search(search)
        let datasets = Self.assets.filter { $0.type == .dataset }.sorted { $0.created > $1.created }
        #expect(page.total == datasets.count)
        #expect(page.hits.map(\.ddo.id) == datasets[10..<15].map(\.did))
        // Full-text ranks the name above the description.
        let ranked = try await store.search(try ElasticsearchQuery.parse(try JSONValue.parse(Array(#"{"query": {"query_string": {"query": "satellite"}}, "size": 100}"#.utf8)), now: 0))
        let first = try #require(ranked.hits.first)
        #expect(first.ddo.metadata.name.hasPrefix("Satellite"))
        #expect(ranked.hits.map(\.score) == ranked.hits.map(\.score).sorted(by: >))
    }

    @Test(arguments: StoreKind.allCases) func anUpdateReplacesWhatWasIndexed(_ kind: StoreKind) async throws {
        let store = try await Self.store(Array(Self.assets.prefix(3)), kind: kind)
        var changed = Self.ddo(Self.assets[0])
        changed.metadata.name = "Renamed quasar"
        changed.metadata.tags = ["astronomy"]
        try await store.applyIndexed([changed], cursor: ChainCursor(chainId: 8996, blockNumber: 2, blockHash: "0x01"))
        #expect(try await dids(store, #"{"query": {"query_string": {"query": "quasar"}}}"#) == [changed.id.text])
        #expect(try await dids(store, #"{"query": {"term": {"metadata.tags": "astronomy"}}}"#) == [changed.id.text])
        #expect(try await dids(store, #"{"query": {"query_string": {"query": "metadata.name:branin"}}}"#).isEmpty)
    }
}

/// Hostile text in a DDO: a NUL character (PostgreSQL's text cannot hold one) neither fails
/// the write nor leaves the asset unfound, on both stores. (SQLite's full-text index stops
/// at the NUL, so only the text before it is searched for.)
@Suite("Unusual text in indexed assets (SQLite and PostgreSQL)")
struct AssetSearchTextTests {
    @Test(arguments: StoreKind.allCases) func aNULCharacterIsIndexedAndTheDDOKeepsIt(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        var ddo = AssetSearchTests.ddo(AssetSearchTests.assets[0])
        ddo.metadata.description = "nul\u{0}here and zebra"
        ddo.metadata.tags = ["odd\u{0}tag"]
        try await store.applyIndexed([ddo], cursor: ChainCursor(chainId: 8996, blockNumber: 1, blockHash: "0x00"))
        #expect(try await store.asset(ddo.id)?.metadata.description == "nul\u{0}here and zebra")
        let found = try await store.search(try ElasticsearchQuery.parse(try JSONValue.parse(Array(#"{"query": {"query_string": {"query": "nul"}}}"#.utf8)), now: 0))
        #expect(found.hits.map(\.ddo.id) == [ddo.id])
    }
}
