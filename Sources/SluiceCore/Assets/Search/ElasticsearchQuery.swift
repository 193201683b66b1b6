/// Parses the body of `POST /api/aquarius/assets/query`: the subset of Elasticsearch's
/// query DSL that Ocean's clients send. Anything outside it is refused naming the part
/// (`query.bool.must[0].wildcard`), never answered with a guess.
public enum ElasticsearchQuery {
    /// Elasticsearch's own cap on `from + size` (`index.max_result_window`).
    public static let maxWindow = 10_000

    public static func parse(_ body: JSONValue, now: Double) throws(RequestError) -> AssetSearch {
        guard let o = body.objectValue else { throw .badRequest("the query must be a JSON object") }
        var search = AssetSearch()
        var parser = Parser(now: now)
        for (key, value) in o.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "query": search.query = try parser.clause(value, at: "query")
            case "from": search.from = try count(value, at: "from")
            case "size": search.size = try count(value, at: "size")
            case "sort": search.sort = try parser.sort(value)
            // Totals are always exact here, which is what either setting asks for at most.
            case "track_total_hits": guard value.boolValue != nil || value.int64Value != nil else {
                throw .badRequest("track_total_hits must be true, false or a number", field: "track_total_hits")
            }
            default: throw unsupported(key)
            }
        }
        guard search.from + search.size <= maxWindow else {
            throw .badRequest("from + size must be at most \(maxWindow)", field: "size")
        }
        return search
    }

    static func count(_ value: JSONValue, at path: String) throws(RequestError) -> Int {
        guard let n = value.int64Value, n >= 0, n <= Int64(maxWindow) else {
            throw .badRequest("\(path) must be a whole number from 0 to \(maxWindow)", field: path)
        }
        return Int(n)
    }

    static func unsupported(_ path: String) -> RequestError {
        .badRequest("\(path) is not supported by this metadata cache (supported: match_all, query_string, multi_match, match, match_phrase, term, terms, range, exists, bool; from, size, sort)", field: path)
    }
}

private struct Parser {
    let now: Double

    /// One query clause: an object with exactly one key naming its kind.
    mutating func clause(_ value: JSONValue, at path: String) throws(RequestError) -> AssetQuery {
        guard let o = value.objectValue, o.count == 1, let (kind, body) = o.first else {
            throw .badRequest("\(path) must be an object with one query clause", field: path)
        }
        let at = "\(path).\(kind)"
        switch kind {
        case "match_all":
            guard body.objectValue?.isEmpty == true else { throw ElasticsearchQuery.unsupported("\(at) with options") }
            return .all
        case "query_string": return try queryString(body, at: at)
        case "multi_match": return try multiMatch(body, at: at)
        case "match": return try match(body, at: at, phrase: false)
        case "match_phrase": return try match(body, at: at, phrase: true)
        case "term":
            let (field, v) = try single(body, at: at)
            let value = v.objectValue.map { $0["value"] ?? .null } ?? v
            if let o = v.objectValue, o.keys.contains(where: { $0 != "value" }) { throw ElasticsearchQuery.unsupported("\(at).\(field.path) options") }
            return .term(field, [try scalar(value, at: "\(at).\(field.path)")])
        case "terms":
            let (field, v) = try single(body, at: at)
            guard let list = v.arrayValue else { throw .badRequest("\(at).\(field.path) must be a list of values", field: at) }
            return .term(field, try list.enumerated().map { (i, item) throws(RequestError) in try scalar(item, at: "\(at).\(field.path)[\(i)]") })
        case "range": return try range(body, at: at)
        case "exists":
            guard let o = body.objectValue, o.count == 1, let name = o["field"]?.stringValue, !name.isEmpty else {
                throw .badRequest("\(at) must be {\"field\": name}", field: at)
            }
            return .exists(AssetField(name))
        case "bool": return try bool(body, at: at)
        default: throw ElasticsearchQuery.unsupported(at)
        }
    }

    /// `{"field": value}`: one field and what it is compared with.
    func single(_ body: JSONValue, at path: String) throws(RequestError) -> (AssetField, JSONValue) {
        guard let o = body.objectValue, o.count == 1, let (name, value) = o.first, !name.isEmpty else {
            throw .badRequest("\(path) must name one field", field: path)
        }
        return (AssetField(name), value)
    }

    func scalar(_ value: JSONValue, at path: String) throws(RequestError) -> String {
        switch value {
        case .string(let s): return s
        case .integer, .bool: return value.scalarText ?? ""
        case .number(let d): return d.rounded() == d && abs(d) < 9e15 ? String(Int64(d)) : String(d)
        default: throw .badRequest("\(path) must be a string, number or boolean", field: path)
        }
    }

    mutating func bool(_ body: JSONValue, at path: String) throws(RequestError) -> AssetQuery {
        guard let o = body.objectValue else { throw .badRequest("\(path) must be an object", field: path) }
        var must: [AssetQuery] = [], should: [AssetQuery] = [], mustNot: [AssetQuery] = []
        var minimum: Int?
        let order = ["must", "filter", "should", "must_not", "minimum_should_match"]
        if let unknown = o.keys.sorted().first(where: { !order.contains($0) }) { throw ElasticsearchQuery.unsupported("\(path).\(unknown)") }
        // must before filter: the first full-text clause of must is the one that ranks.
        for key in order {
            guard let value = o[key] else { continue }
            let clauses = value.arrayValue ?? [value]
            var parsed: [AssetQuery] = []
            if key != "minimum_should_match" {
                for (i, c) in clauses.enumerated() {
                    parsed.append(try clause(c, at: value.arrayValue == nil ? "\(path).\(key)" : "\(path).\(key)[\(i)]"))
                }
            }
            switch key {
            // A filter only differs from must in scoring, which a filter never feeds.
            case "must", "filter": must += parsed
            case "should": should += parsed
            case "must_not": mustNot += parsed
            case "minimum_should_match":
                guard let n = value.int64Value ?? value.stringValue.flatMap({ Int64($0) }), n >= 0, n <= 1000 else {
                    throw .badRequest("\(path).minimum_should_match must be a whole number", field: "\(path).minimum_should_match")
                }
                minimum = Int(n)
            default: continue
            }
        }
        // As in Elasticsearch: with nothing required, at least one `should` must match.
        let atLeast = minimum ?? (must.isEmpty && !should.isEmpty ? 1 : 0)
        return .bool(must: must, should: should, mustNot: mustNot, minimumShould: atLeast)
    }

    func range(_ body: JSONValue, at path: String) throws(RequestError) -> AssetQuery {
        let (field, v) = try single(body, at: path)
        let at = "\(path).\(field.path)"
        guard let o = v.objectValue, !o.isEmpty else { throw .badRequest("\(at) must hold gt, gte, lt or lte", field: at) }
        var bounds = RangeBounds()
        for (key, value) in o {
            if key == "format" { continue }  // dates are read as ISO 8601 or Unix seconds whatever it says
            let n = try bound(value, at: "\(at).\(key)")
            switch key {
            case "gt": bounds.greaterThan = n
            case "gte": bounds.atLeast = n
            case "lt": bounds.lessThan = n
            case "lte": bounds.atMost = n
            default: throw ElasticsearchQuery.unsupported("\(at).\(key)")
            }
        }
        return .range(field, bounds)
    }

    /// A number, an ISO 8601 date, `now`, or `now` minus or plus whole units (`now-7d`).
    func bound(_ value: JSONValue, at path: String) throws(RequestError) -> Double {
        if let d = value.doubleValue { return d }
        guard let s = value.stringValue else { throw .badRequest("\(path) must be a number or a date", field: path) }
        if let d = Double(s) { return d }
        if let seconds = AssetWords.unixSeconds(isoDate: s) { return seconds }
        if s.hasPrefix("now") {
            let rest = s.dropFirst(3)
            if rest.isEmpty { return now }
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800, "M": 2_592_000, "y": 31_536_000]
            if let sign = rest.first, sign == "-" || sign == "+", let unit = rest.last, let size = units[unit],
               let amount = Double(rest.dropFirst().dropLast()), amount >= 0 {
                return now + (sign == "-" ? -1 : 1) * amount * size
            }
        }
        throw .badRequest("\(path) must be a number, an ISO 8601 date, now or now-<n><s|m|h|d|w|M|y>", field: path)
    }

    func match(_ body: JSONValue, at path: String, phrase: Bool) throws(RequestError) -> AssetQuery {
        let (field, v) = try single(body, at: path)
        let at = "\(path).\(field.path)"
        var text: String
        var all = false
        if let o = v.objectValue {
            guard let q = o["query"] else { throw .badRequest("\(at).query is required", field: at) }
            text = try scalar(q, at: "\(at).query")
            for (key, value) in o where key != "query" {
                guard key == "operator", !phrase, let op = value.stringValue?.lowercased(), op == "and" || op == "or" else {
                    throw ElasticsearchQuery.unsupported("\(at).\(key)")
                }
                all = op == "and"
            }
        } else {
            text = try scalar(v, at: at)
        }
        let words = AssetWords.words(text)
        guard !words.isEmpty else { throw .badRequest("\(at) has no words to match", field: at) }
        if let column = field.textColumn {
            let query: TextQuery = phrase ? .phrase(words) : (all ? .and(words.map { .word($0, prefix: false) }) : .or(words.map { .word($0, prefix: false) }))
            return .text(query, columns: [column])
        }
        guard !phrase else { throw .badRequest("\(at): match_phrase works on the full-text fields (\(AssetField.textColumns.map(\.field).joined(separator: ", "))); use match or term", field: at) }
        return .words(field, words, all: all)
    }

    func columns(_ value: JSONValue?, at path: String) throws(RequestError) -> [String]? {
        guard let value, !value.isNull else { return nil }
        guard let list = value.arrayValue else { throw .badRequest("\(path) must be a list of field names", field: path) }
        return try list.enumerated().map { (i, item) throws(RequestError) in
            // `metadata.name^2`: boosts only weigh scores; the field is what counts.
            let name = item.stringValue.map { String($0.split(separator: "^").first ?? "") } ?? ""
            guard let column = AssetField(name).textColumn else {
                throw .badRequest("\(path)[\(i)] must be one of the full-text fields: \(AssetField.textColumns.map(\.field).joined(separator: ", "))", field: "\(path)[\(i)]")
            }
            return column
        }
    }

    func queryString(_ body: JSONValue, at path: String) throws(RequestError) -> AssetQuery {
        guard let o = body.objectValue, let text = o["query"]?.stringValue else {
            throw .badRequest("\(path).query must be a string", field: "\(path).query")
        }
        var conjunctive = false
        for (key, value) in o where key != "query" && key != "fields" && key != "default_field" {
            guard key == "default_operator", let op = value.stringValue?.uppercased(), op == "AND" || op == "OR" else {
                throw ElasticsearchQuery.unsupported("\(path).\(key)")
            }
            conjunctive = op == "AND"
        }
        var fields = try columns(o["fields"], at: "\(path).fields")
        // `*` is every field: the whole text index.
        if let name = o["default_field"], name.stringValue != "*" {
            fields = try columns(.array([name]), at: "\(path).default_field")
        }
        return try self.text(text, fields, conjunctive, path)
    }

    func text(_ text: String, _ fields: [String]?, _ conjunctive: Bool, _ path: String) throws(RequestError) -> AssetQuery {
        var q = QueryStringParser(text: text, conjunctive: conjunctive, path: "\(path).query")
        return .text(try q.parse(), columns: fields)
    }

    func multiMatch(_ body: JSONValue, at path: String) throws(RequestError) -> AssetQuery {
        guard let o = body.objectValue, let text = o["query"].flatMap({ $0.scalarText }) else {
            throw .badRequest("\(path).query must be a string", field: "\(path).query")
        }
        var all = false
        for (key, value) in o where key != "query" && key != "fields" {
            guard key == "operator", let op = value.stringValue?.lowercased(), op == "and" || op == "or" else {
                throw ElasticsearchQuery.unsupported("\(path).\(key)")
            }
            all = op == "and"
        }
        let words = AssetWords.words(text)
        guard !words.isEmpty else { throw .badRequest("\(path).query has no words to match", field: "\(path).query") }
        let parts = words.map { TextQuery.word($0, prefix: false) }
        return .text(all ? .and(parts) : .or(parts), columns: try columns(o["fields"], at: "\(path).fields"))
    }

    func sort(_ value: JSONValue) throws(RequestError) -> [AssetSort] {
        let items = value.arrayValue ?? [value]
        return try items.enumerated().map { (i, item) throws(RequestError) in
            let at = "sort[\(i)]"
            if let name = item.stringValue { return AssetSort(key: key(name), descending: name == "_score") }
            guard let o = item.objectValue, o.count == 1, let (name, spec) = o.first else {
                throw .badRequest("\(at) must be a field name or {field: asc|desc}", field: at)
            }
            let order = spec.stringValue ?? spec["order"]?.stringValue
            if let s = spec.objectValue, s.keys.contains(where: { $0 != "order" }) { throw ElasticsearchQuery.unsupported("\(at).\(name) options") }
            guard let order, order == "asc" || order == "desc" else {
                throw .badRequest("\(at).\(name) must be asc or desc", field: at)
            }
            return AssetSort(key: key(name), descending: order == "desc")
        }
    }

    func key(_ name: String) -> AssetSort.Key { name == "_score" ? .score : .field(AssetField(name)) }
}
