/// One value of a DDO as a store's field index keeps it (SQLite's and PostgreSQL's alike).
public struct SearchLeaf: Sendable, Equatable {
    public var path: String
    /// The value as text, lowercased: what term clauses compare.
    public var folded: String?
    /// Numbers, and dates as Unix seconds: what range clauses compare.
    public var number: Double?
    /// The words of a string, space-separated: what match clauses look in.
    public var words: String?

    /// Longer strings (encrypted file lists, long descriptions) stay in the full-text index only.
    public static let maxIndexedBytes = 1024

    public static func leaves(of value: JSONValue, path: String = "") -> [SearchLeaf] {
        switch value {
        case .object(let members):
            return members.flatMap { key, member in leaves(of: member, path: path.isEmpty ? key : "\(path).\(key)") }
        case .array(let items):
            return items.flatMap { leaves(of: $0, path: path) }
        case .string(let s):
            guard s.utf8.count <= maxIndexedBytes else { return [] }
            return [SearchLeaf(path: path, folded: s.lowercased(), number: AssetWords.unixSeconds(isoDate: s) ?? Double(s),
                               words: AssetWords.words(s).joined(separator: " "))]
        case .integer(let i): return [SearchLeaf(path: path, folded: String(i), number: Double(i), words: nil)]
        case .number(let d): return [SearchLeaf(path: path, folded: String(d), number: d, words: nil)]
        case .bool(let b): return [SearchLeaf(path: path, folded: b ? "true" : "false", number: nil, words: nil)]
        case .null: return []
        }
    }
}
