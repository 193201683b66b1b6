public import SluiceCore

/// A failed call to slurmrestd. `description` is safe for a job's error: it names the
/// REST endpoint's host:port and the operation only, never the token or a path;
/// `detail` carries the transport's or Slurm's message for the node's log.
public struct SlurmError: Error, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No answer at all (connection refused, timeout).
        case unreachable
        /// An HTTP status outside 2xx without a usable answer.
        case status(Int)
        /// Slurm answered with errors (its first error's sentence).
        case refused(String)
        case malformedAnswer
        /// The token file could not be read.
        case noToken
    }

    public let endpoint: SlurmRESTEndpoint
    public let operation: String
    public let kind: Kind
    public let detail: String

    public var description: String {
        switch kind {
        case .unreachable: return "the Slurm cluster at \(endpoint) did not answer (\(operation))"
        case .status(let code): return "the Slurm cluster at \(endpoint) refused to \(operation) (HTTP \(code))"
        case .refused(let reason): return "the Slurm cluster at \(endpoint) refused to \(operation): \(reason)"
        case .malformedAnswer: return "the Slurm cluster at \(endpoint) gave an unreadable answer (\(operation))"
        case .noToken: return "the node could not read its Slurm token for \(endpoint)"
        }
    }
}
