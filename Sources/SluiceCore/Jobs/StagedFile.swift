/// A file the node already fetched into its private staging area, with the digest it
/// had when the node checked it. A job given one runs exactly these bytes: the engine
/// copies it into the workspace, hashing again, and removes it.
public struct StagedFile: Sendable, Equatable, Codable {
    /// Inside the engine's staging directory; never a publisher's path.
    public var path: String
    /// Lowercase hex SHA-256 of the bytes.
    public var sha256: String
    public var size: Int64

    public init(path: String, sha256: String, size: Int64) {
        self.path = path
        self.sha256 = sha256
        self.size = size
    }
}
