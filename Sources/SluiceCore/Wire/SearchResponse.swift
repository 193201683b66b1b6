/// Elasticsearch's answer envelope, which ocean-lib reads as `hits.hits[]._source`.
public struct SearchResponse: Encodable, Sendable {
    public struct Hits: Encodable, Sendable {
        public struct Total: Encodable, Sendable {
            let value: Int
            let relation = "eq"
        }
        public struct Hit: Encodable, Sendable {
            let _index = "aquarius"
            let _id: String
            let _score: Double
            let _source: DDO
        }
        let total: Total
        let max_score: Double?
        let hits: [Hit]
    }
    let took: Int
    let timed_out = false
    let hits: Hits

    public init(_ result: AssetSearchResult, tookMilliseconds: Int) {
        took = tookMilliseconds
        let hits = result.hits.map { Hits.Hit(_id: $0.ddo.id.text, _score: $0.score, _source: $0.ddo) }
        self.hits = Hits(total: .init(value: result.total), max_score: hits.map(\._score).max(), hits: hits)
    }
}
