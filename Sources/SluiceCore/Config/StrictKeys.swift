/// Config objects refuse keys they do not know, naming the key: a misspelled or
/// unsupported key would otherwise be ignored and leave a default in force unseen.
public struct AnyCodingKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int?
    public init(stringValue: String) { self.stringValue = stringValue }
    public init(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}

extension Decoder {
    /// Throws for the first key (in sorted order) of this object that `Keys` lacks.
    public func refuseUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type, object: String) throws {
        let all = try container(keyedBy: AnyCodingKey.self)
        let known = Set(Keys.allCases.map(\.stringValue))
        if let unknown = all.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey(stringValue: unknown), in: all,
                debugDescription: "unknown key \"\(unknown.prefix(64))\" in \(object)")
        }
    }
}
