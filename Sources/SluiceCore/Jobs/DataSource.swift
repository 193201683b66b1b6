/// Where the node takes a file from: a path on the node or an http(s) URL it fetches.
///
/// Sources are secrets of the dataset's publisher: they never enter the sandbox, logs or
/// error messages, so `description` hides them.
public enum DataSource: Sendable, Equatable, Codable, CustomStringConvertible, CustomDebugStringConvertible {
    case path(String)
    case url(String)

    public var description: String {
        switch self {
        case .path: return "<local file>"
        case .url: return "<remote file>"
        }
    }

    public var debugDescription: String { description }
}
