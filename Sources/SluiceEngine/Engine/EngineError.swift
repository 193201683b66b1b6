/// Problems that stop the engine from starting; each one sentence for the operator.
public enum EngineError: Error, CustomStringConvertible {
    case workspaceUnreachable(String)
    case backendUnavailable(String)
    case sandboxUIDsTaken(UInt32)

    public var description: String {
        switch self {
        case .workspaceUnreachable(let path):
            return "the sandbox users cannot reach the job directory \(path); make every directory above it searchable by others (chmod o+x) or choose a data directory elsewhere"
        case .sandboxUIDsTaken(let uid):
            return "uid \(uid), in the range jobs run as (sandboxUids), belongs to an account on this host; choose a range no account uses"
        case .backendUnavailable(let reason):
            return "the compute backend cannot run on this host: \(reason)"
        }
    }
}
