/// A search over the assets a node serves: the part of Elasticsearch's query DSL that
/// Ocean's clients send to a metadata cache (`POST /api/aquarius/assets/query`), parsed
/// once into this tree (`ElasticsearchQuery.parse`) so stores never see the wire form.
public struct AssetSearch: Sendable, Equatable {
    public var query: AssetQuery
    public var from: Int
    public var size: Int
    public var sort: [AssetSort]

    public init(query: AssetQuery = .all, from: Int = 0, size: Int = 10, sort: [AssetSort] = []) {
        self.query = query
        self.from = from
        self.size = size
        self.sort = sort
    }
}

/// A field of a DDO as a dotted path without list indices (`services.type`,
/// `metadata.tags`): a value in a list matches as Elasticsearch's do.
public struct AssetField: Hashable, Sendable, CustomStringConvertible {
    public let path: String

    public init(_ path: String) {
        // Aquarius maps text fields with a `.keyword` twin; both compare whole values here.
        self.path = path.hasSuffix(".keyword") ? String(path.dropLast(8)) : path
    }

    public var description: String { path }

    /// The fields full-text search covers (`query_string` without fields, and `match`
    /// on one of them), with the name of the text index's column for each.
    public static let textColumns: [(field: String, column: String)] = [
        ("metadata.name", "name"), ("metadata.description", "description"), ("metadata.tags", "tags"),
        ("metadata.author", "author"), ("id", "did"),
    ]

    public var textColumn: String? { Self.textColumns.first { $0.field == path }?.column }
}

public indirect enum AssetQuery: Sendable, Equatable {
    /// Every asset (`match_all`).
    case all
    /// Full-text search over the text columns (`query_string`, `multi_match`, or `match`
    /// on a text field); `columns` nil means all of them.
    case text(TextQuery, columns: [String]?)
    /// Whole-value equality with any of the values, strings compared case-insensitively
    /// (`term`, `terms`).
    case term(AssetField, [String])
    /// The field's words include any (or, with `all`, every) of `words` (`match` on a
    /// field outside the text index).
    case words(AssetField, [String], all: Bool)
    /// Numbers, and dates as Unix seconds (`range`).
    case range(AssetField, RangeBounds)
    /// The field has a value (`exists`).
    case exists(AssetField)
    /// `bool`: every `must` (and `filter`), at least `minimumShould` of `should`, no `mustNot`.
    case bool(must: [AssetQuery], should: [AssetQuery], mustNot: [AssetQuery], minimumShould: Int)
}

public struct RangeBounds: Sendable, Equatable {
    public var greaterThan: Double?
    public var atLeast: Double?
    public var lessThan: Double?
    public var atMost: Double?

    public init(greaterThan: Double? = nil, atLeast: Double? = nil, lessThan: Double? = nil, atMost: Double? = nil) {
        self.greaterThan = greaterThan
        self.atLeast = atLeast
        self.lessThan = lessThan
        self.atMost = atMost
    }
}

/// A full-text expression, as `query_string` writes it.
public indirect enum TextQuery: Sendable, Equatable {
    /// One word, or a word prefix (`bran*`).
    case word(String, prefix: Bool)
    /// Words in this order (`"branin dataset"`, or a DID whose `:` were escaped).
    case phrase([String])
    /// Limited to one text column (`metadata.name:branin`).
    case column(String, TextQuery)
    case and([TextQuery])
    case or([TextQuery])
    case not(TextQuery)
}

public struct AssetSort: Sendable, Equatable {
    public enum Key: Sendable, Equatable {
        case score
        case field(AssetField)
    }
    public var key: Key
    public var descending: Bool

    public init(key: Key, descending: Bool) {
        self.key = key
        self.descending = descending
    }
}

public struct AssetSearchHit: Sendable {
    public var ddo: DDO
    public var score: Double

    public init(ddo: DDO, score: Double) {
        self.ddo = ddo
        self.score = score
    }
}

public struct AssetSearchResult: Sendable {
    public var total: Int
    public var hits: [AssetSearchHit]

    public init(total: Int, hits: [AssetSearchHit]) {
        self.total = total
        self.hits = hits
    }
}

/// Where searches run: the store that holds the assets, indexed as they are written.
public protocol AssetSearchStore: Sendable {
    func search(_ search: AssetSearch) async throws -> AssetSearchResult
}
