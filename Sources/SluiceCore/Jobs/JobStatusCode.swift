/// The status codes of contract section 3, in the order a job passes through them.
public enum JobStatusCode: Int, Sendable, Codable, CaseIterable {
    case warmingUp = 1
    case jobStarted = 10
    case configuringVolumes = 20
    case provisioningSuccess = 30
    case dataProvisioningFailed = 31
    case algorithmProvisioningFailed = 32
    case runningAlgorithm = 40
    case algorithmFailed = 41
    case filteringResults = 50
    case publishingResults = 60
    case jobFinished = 70
    case jobStopped = 7
    case jobDeleted = 8

    public var statusText: String {
        switch self {
        case .warmingUp: return "Warming up"
        case .jobStarted: return "Job started"
        case .configuringVolumes: return "Configuring volumes"
        case .provisioningSuccess: return "Provisioning success"
        case .dataProvisioningFailed: return "Data provisioning failed"
        case .algorithmProvisioningFailed: return "Algorithm provisioning failed"
        case .runningAlgorithm: return "Running algorithm"
        case .algorithmFailed: return "Algorithm failed"
        case .filteringResults: return "Filtering results"
        case .publishingResults: return "Publishing results"
        case .jobFinished: return "Job finished"
        case .jobStopped: return "Job stopped"
        case .jobDeleted: return "Job deleted successfully"
        }
    }

    /// Terminal states never change again (except by deletion).
    public var isTerminal: Bool {
        switch self {
        case .dataProvisioningFailed, .algorithmProvisioningFailed, .algorithmFailed,
             .jobFinished, .jobStopped, .jobDeleted:
            return true
        default:
            return false
        }
    }
}

/// Why a job ended, as `terminationReason` of contract section 3.
public enum TerminationReason: String, Sendable, Codable, CaseIterable {
    case completed
    case algorithmFailed
    case timeout
    case outOfMemory
    case diskQuotaExceeded
    case stopped
    case dataProvisioningFailed
    case algorithmProvisioningFailed
    /// The node died (or was killed) while the job ran; found so at the next start.
    case nodeRestarted
    /// The node was stopped cleanly while the job ran.
    case nodeShutdown
    /// The algorithm finished but the output checks withheld every output it wrote.
    case outputWithheld
}

/// `stopreq` of contract section 3.
public enum StopRequest: Int, Sendable, Codable {
    case none = 0
    case requested = 1
    case timedOut = 2
}
