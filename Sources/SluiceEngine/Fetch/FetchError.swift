/// Why a source could not be fetched. Messages never name the source: its URL or path
/// is the publisher's secret.
enum FetchError: Error, Equatable, CustomStringConvertible {
    case tooLarge(limit: Int64)
    case timedOut(seconds: Double)
    case unreachable
    case httpStatus(Int)
    case missingLocalFile
    case notARegularFile
    case unsupportedScheme
    case cannotWrite

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
        }
    }
}
