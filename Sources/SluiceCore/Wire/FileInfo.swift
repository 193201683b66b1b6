/// One entry of `POST /api/services/fileinfo`: what the node can tell about a file
/// without revealing where it is. The node answers it and the SDK reads it.
public struct FileInfo: Codable, Sendable, Equatable {
    public var index: Int
    public var valid: Bool
    /// `url` or `local`.
    public var type: String?
    /// Bytes, as a decimal string (Ocean's shape).
    public var contentLength: String?
    public var contentType: String?
    /// SHA-256 hex of the contents, when asked for.
    public var checksum: String?

    public init(index: Int, valid: Bool, type: String?, contentLength: String? = nil, contentType: String? = nil,
                checksum: String? = nil) {
        self.index = index
        self.valid = valid
        self.type = type
        self.contentLength = contentLength
        self.contentType = contentType
        self.checksum = checksum
    }
}

/// `POST /api/services/fileinfo`: `{did, serviceId}` for a published service's files, or
/// one url file object (`{"type": "url", "url", ...}`) to check before publishing.
public struct FileInfoRequest: Decodable, Sendable, Equatable {
    public var did: String?
    public var serviceId: String?
    /// Whether to hash the contents: `true` or a non-zero number.
    public var checksum: Bool
    /// The whole request, when it is a file object: the file parser reads it.
    public var file: JSONValue?

    enum CodingKeys: String, CodingKey { case did, serviceId, checksum, type }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        did = try c.decodeIfPresent(String.self, forKey: .did).flatMap { $0.isEmpty ? nil : $0 }
        serviceId = try c.decodeIfPresent(ScalarText.self, forKey: .serviceId)?.text
        switch try c.decodeIfPresent(JSONValue.self, forKey: .checksum) {
        case .bool(let b)?: checksum = b
        case .integer(let i)?: checksum = i != 0
        default: checksum = false
        }
        file = c.contains(.type) ? try JSONValue(from: decoder) : nil
    }
}
