/// The digest of one file that entered a job's workspace: which input it belongs to,
/// its position there and its SHA-256 and size. Never its URL or path.
public struct FileDigest: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable {
        case dataset
        case algorithm
    }

    public var role: Role
    /// The dataset's or algorithm's DID, or "raw" for a raw algorithm.
    public var source: String
    /// The file's position in its input (`/data/inputs/<did>/<index>`); 0 for the algorithm.
    public var index: Int
    /// Lowercase hex SHA-256.
    public var sha256: String
    public var size: Int64

    public init(role: Role, source: String, index: Int, sha256: String, size: Int64) {
        self.role = role
        self.source = source
        self.index = index
        self.sha256 = sha256
        self.size = size
    }
}
