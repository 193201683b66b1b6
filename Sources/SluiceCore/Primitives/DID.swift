/// An Ocean asset identifier: `did:op:` followed by 64 lowercase hex digits.
public struct DID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let text: String

    public init?(_ text: some StringProtocol) {
        guard text.hasPrefix("did:op:"), text.utf8.count == 71 else { return nil }
        let digits = text.utf8.dropFirst(7)
        guard digits.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else { return nil }
        self.text = String(text)
    }

    /// For values built by `DID.derive`, which are well formed by construction.
    public init(unchecked text: String) { self.text = text }

    /// The 64 hex digits without `did:op:`: the name of the DID's folders in a job workspace.
    public var bareHex: String { String(text.dropFirst(7)) }

    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let did = DID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a did:op: identifier"))
        }
        self = did
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}
