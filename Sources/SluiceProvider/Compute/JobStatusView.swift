import Foundation
import SluiceCore

/// The status object of contract section 3 as the node answers it: the engine's status
/// plus `algorithmLogUrl` and `resultsUrls`, which carry no signature (a client signs
/// each download itself).
enum JobStatusView {
    static func json(_ status: JobStatus, baseURL: String) -> JSONValue {
        var members = (try? JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(status)))?.objectValue ?? [:]
        let owner = status.owner.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? status.owner
        func url(_ index: Int) -> String {
            "\(baseURL)\(Paths.computeResult)?jobId=\(status.jobId)&index=\(index)&consumerAddress=\(owner)"
        }
        members["resultsUrls"] = .array(status.results.map { .string(url($0.index)) })
        members["algorithmLogUrl"] = status.algorithmLogIndex.map { .string(url($0)) } ?? .string("")
        return .object(members)
    }

    static func array(_ statuses: [JobStatus], baseURL: String) -> String {
        JSONValue.array(statuses.map { json($0, baseURL: baseURL) }).compactJSON()
    }
}
