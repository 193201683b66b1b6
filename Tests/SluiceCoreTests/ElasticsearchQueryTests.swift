import Testing
@testable import SluiceCore

@Suite("Elasticsearch queries as Ocean's clients send them")
struct ElasticsearchQueryTests {
    func parse(_ json: String) throws -> AssetSearch {
        try ElasticsearchQuery.parse(try JSONValue.parse(Array(json.utf8)), now: 1_000_000)
    }

    func refusal(_ json: String) -> RequestError? {
        do { _ = try parse(json); return nil } catch let e as RequestError { return e } catch { return nil }
    }

    @Test func oceanLibsSearchIsAFullTextQuery() throws {
        // ocean.assets.search("Branin") and a DID with its colons escaped, as ocean-lib escapes them.
        #expect(try parse(#"{"query": {"query_string": {"query": "Branin"}}}"#).query == .text(.word("branin", prefix: false), columns: nil))
        let did = try parse(#"{"query": {"query_string": {"query": "did\\:op\\:abc123"}}}"#)
        #expect(did.query == .text(.phrase(["did", "op", "abc123"]), columns: nil))
    }

    @Test func queryStringOperatorsAndFields() throws {
        let q = try parse(#"{"query": {"query_string": {"query": "gpr AND (branin OR \"gaussian process\") -draft metadata.name:regress*"}}}"#)
        #expect(q.query == .text(.or([
            .and([.word("gpr", prefix: false), .or([.word("branin", prefix: false), .phrase(["gaussian", "process"])])]),
            .not(.word("draft", prefix: false)),
            .column("name", .word("regress", prefix: true)),
        ]), columns: nil))
        let conjunctive = try parse(#"{"query": {"query_string": {"query": "a b", "default_operator": "AND", "fields": ["metadata.name^3", "metadata.description"]}}}"#)
        #expect(conjunctive.query == .text(.and([.word("a", prefix: false), .word("b", prefix: false)]), columns: ["name", "description"]))
    }

    @Test func boolWithEveryClauseKind() throws {
        let q = try parse("""
            {"query": {"bool": {
              "must": [{"match": {"metadata.name": "branin data"}}],
              "filter": [{"term": {"metadata.type.keyword": "dataset"}}, {"terms": {"chainId": [8996, 1]}},
                         {"range": {"metadata.created": {"gte": "2026-01-01T00:00:00Z", "lt": "now"}}}],
              "should": {"match": {"metadata.license": {"query": "CC0 public", "operator": "and"}}},
              "must_not": {"exists": {"field": "metadata.algorithm"}}}},
             "from": 5, "size": 20, "sort": [{"metadata.created": {"order": "desc"}}, "_score"]}
            """)
        #expect(q.from == 5 && q.size == 20)
        #expect(q.sort == [AssetSort(key: .field(AssetField("metadata.created")), descending: true), AssetSort(key: .score, descending: true)])
        #expect(q.query == .bool(
            must: [.text(.or([.word("branin", prefix: false), .word("data", prefix: false)]), columns: ["name"]),
                   .term(AssetField("metadata.type"), ["dataset"]), .term(AssetField("chainId"), ["8996", "1"]),
                   .range(AssetField("metadata.created"), RangeBounds(atLeast: 1_767_225_600, lessThan: 1_000_000))],
            should: [.words(AssetField("metadata.license"), ["cc0", "public"], all: true)],
            mustNot: [.exists(AssetField("metadata.algorithm"))], minimumShould: 0))
    }

    @Test func shouldAloneRequiresOneAndDateMathWorks() throws {
        let q = try parse(#"{"query": {"bool": {"should": [{"term": {"a": "x"}}, {"range": {"n": {"gt": "now-1d"}}}]}}}"#)
        #expect(q.query == .bool(must: [], should: [.term(AssetField("a"), ["x"]), .range(AssetField("n"), RangeBounds(greaterThan: 1_000_000 - 86_400))],
                                 mustNot: [], minimumShould: 1))
    }

    @Test(arguments: [
        (#"{"query": {"wildcard": {"metadata.name": "b*"}}}"#, "query.wildcard"),
        (#"{"query": {"bool": {"must": [{"fuzzy": {"x": "y"}}]}}}"#, "query.bool.must[0].fuzzy"),
        (#"{"aggs": {"types": {"terms": {"field": "metadata.type"}}}}"#, "aggs"),
        (#"{"query": {"match_all": {}}, "_source": ["id"]}"#, "_source"),
        (#"{"query": {"range": {"n": {"gte": "last tuesday"}}}}"#, "query.range.n.gte"),
        (#"{"query": {"query_string": {"query": "bra?in"}}}"#, "query.query_string.query"),
        (#"{"query": {"query_string": {"query": "nft.owner:0xabc"}}}"#, "query.query_string.query"),
        (#"{"query": {"term": {"a": {"value": "x", "boost": 2}}}}"#, "query.term.a options"),
        (#"{"size": 20000}"#, "size"),
        (#"{"from": 9995, "size": 10}"#, "size"),
        (#"{"query": {"match": {"a": {"query": "x", "fuzziness": 2}}}}"#, "query.match.a.fuzziness"),
        (#"{"query": {"bool": {"must": [], "boost": 1}}}"#, "query.bool.boost"),
        (#"[1, 2]"#, nil),
    ] as [(String, String?)])
    func unsupportedPartsAreRefusedByName(_ json: String, _ field: String?) {
        let error = refusal(json)
        #expect(error?.kind == .badRequest, "\(json)")
        if let field { #expect(error?.field == field, "\(String(describing: error))") }
    }

    @Test func wordsAreLowercasedWithoutAccents() {
        #expect(AssetWords.words("Crème BRÛLÉE, 2x-fast_ok") == ["creme", "brulee", "2x", "fast", "ok"])
        #expect(AssetWords.unixSeconds(isoDate: "2026-01-01T00:00:00Z") == 1_767_225_600)
        #expect(AssetWords.unixSeconds(isoDate: "2026-01-01T00:00:00.5") == 1_767_225_600.5)
        #expect(AssetWords.unixSeconds(isoDate: "2026-01-01") == 1_767_225_600)
        #expect(AssetWords.unixSeconds(isoDate: "branin") == nil)
    }
}
