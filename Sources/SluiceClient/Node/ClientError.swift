/// What went wrong, as one sentence a person can act on. Keys, passwords and dataset
/// URLs never appear in these messages.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The node URL is not `http(s)://host[:port]`.
    case invalidNodeURL(String)
    /// Nothing answered at the node URL (refused, timed out, unknown host).
    case unreachable(node: String, reason: String)
    /// The node answered with an error: its `{"error", "field"}`.
    case node(status: Int, message: String, field: String?)
    /// Something answered, but not as a Sluice node does.
    case unexpectedAnswer(node: String, detail: String)
    case wrongPassword(wallet: String)
    case keystore(path: String, reason: String)
    case wallet(String)
    case noFreeEnvironment
    case notEnoughDatatokens(did: String, serviceId: String, balance: String)
    case jobFailed(jobId: String, status: String, reason: String)
    case timedOut(jobId: String, seconds: Int)
    case file(path: String, reason: String)
    case invalidInput(String)
    /// The chain did not answer, refused a call, or reverted a transaction.
    case chain(String)
    /// The asset is on chain but the node has not indexed it in time.
    case notIndexed(did: String, node: String, seconds: Int)

    public var description: String {
        switch self {
        case .invalidNodeURL(let url):
            return "\"\(url)\" is not a node URL; use http://host:port."
        case .unreachable(let node, let reason):
            return "Cannot reach a node at \(node) (\(reason)); is `sluice serve` running there?"
        case .node(let status, let message, let field):
            let at = field.map { $0.isEmpty ? "" : " [\($0)]" } ?? ""
            return "The node refused the request: \(message)\(at) (HTTP \(status))."
        case .unexpectedAnswer(let node, let detail):
            return "The server at \(node) does not answer like a Sluice node (\(detail))."
        case .wrongPassword(let wallet):
            return "Wrong password for wallet \(wallet)."
        case .keystore(let path, let reason):
            return "Cannot use the wallet file \(path): \(reason)."
        case .wallet(let message):
            return message
        case .noFreeEnvironment:
            return "The node has no free compute environment; name one with --env."
        case .notEnoughDatatokens(let did, let serviceId, let balance):
            return "Not enough datatokens to order service \(serviceId) of \(did): the wallet holds \(balance) and one is needed."
        case .jobFailed(let jobId, let status, let reason):
            return "Job \(jobId) failed: \(status)\(reason.isEmpty ? "" : " (\(reason))")."
        case .timedOut(let jobId, let seconds):
            return "Job \(jobId) did not finish within \(seconds) s; it keeps running on the node."
        case .file(let path, let reason):
            return "Cannot write \(path): \(reason)."
        case .invalidInput(let message):
            return message
        case .chain(let message):
            return message
        case .notIndexed(let did, let node, let seconds):
            return "The node at \(node) has not indexed \(did) within \(seconds) s; is it following this chain (sluice serve --chain)?"
        }
    }
}
