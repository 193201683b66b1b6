/// A failed call to a Docker Engine API. `description` is safe for a job's error (no
/// host paths, no engine output); `detail` carries the engine's message for the log.
public struct DockerAPIError: Error, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unreachable
        case status(Int)
        case malformedAnswer
    }

    public let operation: String
    public let kind: Kind
    public let detail: String

    public var description: String {
        switch kind {
        case .unreachable: return "the container engine did not answer (\(operation))"
        case .status(let code): return "the container engine refused to \(operation) (HTTP \(code))"
        case .malformedAnswer: return "the container engine gave an unreadable answer (\(operation))"
        }
    }

    var isNotFound: Bool { kind == .status(404) }
}
