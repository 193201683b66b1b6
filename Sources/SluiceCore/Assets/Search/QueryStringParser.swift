/// Elasticsearch's `query_string` syntax, the part people type into a search box:
/// words, `"phrases"`, `prefix*`, `field:word`, `AND`/`OR`/`NOT` (and `&&`, `||`, `!`,
/// `+`, `-`), parentheses, and `\` escapes (ocean-lib escapes the `:` of DIDs). Words
/// side by side join with the default operator (OR unless asked otherwise). NOT binds
/// tightest, then AND, then OR.
struct QueryStringParser {
    enum Token: Equatable {
        case word(String, prefix: Bool)   // as written, escapes removed
        case phrase(String)
        case field(String)                // `name:` before a value
        case and, or, not, required, open, close
    }

    let conjunctive: Bool
    let path: String
    private var tokens: [Token] = []
    private var position = 0
    private let source: String

    init(text: String, conjunctive: Bool, path: String) {
        self.source = text
        self.conjunctive = conjunctive
        self.path = path
    }

    mutating func parse() throws(RequestError) -> TextQuery {
        tokens = try Self.lex(source, path: path)
        guard !tokens.isEmpty else { throw .badRequest("\(path) is empty", field: path) }
        let query = try disjunction()
        guard position == tokens.count else { throw .badRequest("\(path): unexpected \(describe(tokens[position]))", field: path) }
        return query
    }

    private func describe(_ t: Token) -> String {
        switch t {
        case .close: return "')'"
        case .open: return "'('"
        default: return "operator"
        }
    }

    private var next: Token? { position < tokens.count ? tokens[position] : nil }

    private mutating func disjunction() throws(RequestError) -> TextQuery {
        var parts = [try conjunction()]
        while next == .or {
            position += 1
            parts.append(try conjunction())
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private mutating func conjunction() throws(RequestError) -> TextQuery {
        // Runs of operands with no operator between them join with the default operator.
        var groups: [[TextQuery]] = [[try unary()]]
        while let t = next, t != .or, t != .close {
            if t == .and {
                position += 1
                groups[groups.count - 1].append(try unary())
            } else if conjunctive {
                groups[groups.count - 1].append(try unary())
            } else {
                groups.append([try unary()])
            }
        }
        let joined = groups.map { $0.count == 1 ? $0[0] : TextQuery.and($0) }
        return joined.count == 1 ? joined[0] : .or(joined)
    }

    private mutating func unary() throws(RequestError) -> TextQuery {
        switch next {
        case .not?:
            position += 1
            return .not(try unary())
        case .required?:
            position += 1
            return try unary()
        default:
            return try primary()
        }
    }

    private mutating func primary() throws(RequestError) -> TextQuery {
        guard let t = next else { throw .badRequest("\(path) ends where a word was expected", field: path) }
        position += 1
        switch t {
        case .open:
            let inner = try disjunction()
            guard next == .close else { throw .badRequest("\(path) has an unclosed '('", field: path) }
            position += 1
            return inner
        case .field(let name):
            let field = AssetField(name)
            guard let column = field.textColumn else {
                throw .badRequest("\(path): \(name) is not a full-text field (\(AssetField.textColumns.map(\.field).joined(separator: ", "))); use a term or match query for it", field: path)
            }
            return .column(column, try primary())
        case .word(let text, let prefix):
            let words = AssetWords.words(text)
            guard !words.isEmpty else { throw .badRequest("\(path): '\(text)' has no letters or digits to search for", field: path) }
            if words.count == 1 { return .word(words[0], prefix: prefix) }
            guard !prefix else { throw .badRequest("\(path): a prefix search takes one word", field: path) }
            return .phrase(words)
        case .phrase(let text):
            let words = AssetWords.words(text)
            guard !words.isEmpty else { throw .badRequest("\(path): an empty phrase", field: path) }
            return words.count == 1 ? .word(words[0], prefix: false) : .phrase(words)
        case .and, .or, .not, .required, .close:
            throw .badRequest("\(path): an operator where a word was expected", field: path)
        }
    }

    static func lex(_ text: String, path: String) throws(RequestError) -> [Token] {
        var tokens: [Token] = []
        var chars = Array(text)
        var i = 0
        func fail(_ what: String) -> RequestError { .badRequest("\(path): \(what)", field: path) }
        chars.append(" ")
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            switch c {
            case "(": tokens.append(.open); i += 1; continue
            case ")": tokens.append(.close); i += 1; continue
            case "+": tokens.append(.required); i += 1; continue
            case "-", "!": tokens.append(.not); i += 1; continue
            case "\"":
                var phrase = ""
                i += 1
                while i < chars.count - 1, chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < chars.count - 1 { i += 1 }
                    phrase.append(chars[i])
                    i += 1
                }
                guard i < chars.count - 1 else { throw fail("a phrase without its closing quote") }
                i += 1
                tokens.append(.phrase(phrase))
                continue
            default: break
            }
            if c == "&" || c == "|" {
                guard chars[i + 1] == c else { throw fail("'\(c)' must be doubled") }
                tokens.append(c == "&" ? .and : .or)
                i += 2
                continue
            }
            var word = ""
            var prefix = false
            while i < chars.count, !chars[i].isWhitespace, !"()\"".contains(chars[i]) {
                let ch = chars[i]
                if ch == "\\" {
                    guard i + 1 < chars.count - 1 else { throw fail("a trailing '\\'") }
                    word.append(chars[i + 1])
                    i += 2
                    continue
                }
                if ch == ":" { break }
                if ch == "*" || ch == "?" {
                    // A trailing `*` is a prefix search; other wildcards would need a full scan.
                    guard ch == "*", i + 1 < chars.count, chars[i + 1].isWhitespace || "()".contains(chars[i + 1]), !word.isEmpty else {
                        throw fail("wildcards are supported only as a trailing '*'")
                    }
                    prefix = true
                    i += 1
                    break
                }
                if "{}[]^~/<>=".contains(ch) { throw fail("'\(ch)' (ranges, boosts, fuzzy or regular expressions) is not supported; escape it with '\\'") }
                word.append(ch)
                i += 1
            }
            if i < chars.count, chars[i] == ":" {
                guard !word.isEmpty else { throw fail("a ':' without a field name") }
                tokens.append(.field(word))
                i += 1
                continue
            }
            switch word {
            case "AND": tokens.append(.and)
            case "OR": tokens.append(.or)
            case "NOT": tokens.append(.not)
            default: if !word.isEmpty { tokens.append(.word(word, prefix: prefix)) }
            }
        }
        return tokens
    }
}
