import Foundation
import SluiceCore

/// The node's last step for every job that has a workspace: write `publish.log` and
/// list the results (outputs, then the three logs) with their sizes.
enum Publisher {
    static func publish(_ workspace: Workspace, ending: JobEnding) -> [JobResultFile] {
        guard FileManager.default.fileExists(atPath: workspace.logs.path),
              let log = try? LogFile(url: workspace.publishLog) else { return [] }
        let outputs = ResultsListing.list(workspace).filter { $0.file.type == .output }
        let bytes = outputs.reduce(Int64(0)) { $0 + $1.file.filesize }
        log.line("status \(ending.status.rawValue) (\(ending.status.statusText))" + (ending.reason.map { ", \($0.rawValue)" } ?? ""))
        for entry in outputs {
            log.line("output \(entry.file.filename): \(entry.file.filesize) bytes")
        }
        log.line("published \(outputs.count) output file(s), \(bytes) bytes")
        return ResultsListing.list(workspace).map(\.file)
    }
}
