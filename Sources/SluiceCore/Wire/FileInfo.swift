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
