import SluiceCore

/// Why a source could not be fetched. Messages never name the source: its URL or path
/// is the publisher's secret, and they never repeat what a refused or redirecting
/// server answered.
enum FetchError: Error, Equatable, CustomStringConvertible {
    case tooLarge(limit: Int64)
    case timedOut(seconds: Double)
    case unreachable
    case httpStatus(Int)
    case missingLocalFile
    case notARegularFile
    case unsupportedScheme
    case cannotWrite
    case refused(EgressRefusal)
    case unresolvable
    case tooManyRedirects(limit: Int)
    case badRedirect

    var description: String {
        switch self {
        case .tooLarge(let limit): return "the file is larger than the node's fetch limit of \(limit) bytes"
        case .timedOut(let seconds): return "the file's server did not deliver it within \(Int(seconds)) seconds"
        case .unreachable: return "the file's server could not be reached"
        case .httpStatus(let code): return "the file's server answered HTTP \(code)"
        case .missingLocalFile: return "the file does not exist on the node"
        case .notARegularFile: return "the file is not a regular file"
        case .unsupportedScheme: return "the file's address is neither a node path nor an http(s) URL"
        case .cannotWrite: return "the node could not write the file into the job's workspace"
        case .refused(let refusal): return refusal.description
        case .unresolvable: return "the file's server name could not be resolved"
        case .tooManyRedirects(let limit): return "the file's server redirected more than \(limit) times"
        case .badRedirect: return "the file's server redirected to an address that is not an http(s) URL"
        }
    }
}
