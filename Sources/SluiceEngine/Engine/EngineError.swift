/// Problems that stop the engine from starting; each one sentence for the operator.
public enum EngineError: Error, CustomStringConvertible {
    case workspaceUnreachable(String)
    case backendUnavailable(String)

    public var description: String {
        switch self {
        case .workspaceUnreachable(let path):
            return "the sandbox user (uid 65534) cannot reach the job directory \(path); make every directory above it searchable (chmod o+x) or choose a data directory elsewhere"
        case .backendUnavailable(let reason):
            return "the compute backend cannot run on this host: \(reason)"
        }
    }
}
