/// Why a JSON-RPC call failed. Messages name the endpoint without its path or query.
public enum RPCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No answer: connection refused, timeout, DNS, or a 5xx/429 after every retry.
    case unreachable(endpoint: String, detail: String)
    /// The node answered with a JSON-RPC error (code 3 is a revert).
    case rpc(code: Int, message: String)
    /// The answer was not the JSON-RPC the method promises.
    case malformed(method: String, detail: String)

    public var description: String {
        switch self {
        case .unreachable(let endpoint, let detail): return "the chain at \(endpoint) does not answer (\(detail))"
        case .rpc(let code, let message): return "the chain refused the call: \(message) (code \(code))"
        case .malformed(let method, let detail): return "the chain's answer to \(method) is malformed: \(detail)"
        }
    }

    public var isRevert: Bool {
        if case .rpc(let code, let message) = self { return code == 3 || message.contains("revert") }
        return false
    }
}
