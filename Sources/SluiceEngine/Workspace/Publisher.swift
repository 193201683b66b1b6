import Foundation
import SluiceCore

/// The node's last step for every job that has a workspace: write `publish.log` and
/// list the results (the outputs the checks released, then the three logs) with their
/// sizes. Only an output the checks released is a result: a withheld one, or one they
/// did not see, cannot be downloaded.
enum Publisher {
    static func publish(_ workspace: Workspace, ending: JobEnding, checks: OutputChecks) -> [JobResultFile] {
        guard FileManager.default.fileExists(atPath: workspace.logs.path),
              let log = try? LogFile(url: workspace.publishLog) else { return [] }
        let withheld = Dictionary(checks.withheld.map { ($0.filename, $0) }, uniquingKeysWith: { first, _ in first })
        let releasedNames = Set(checks.released.map(\.filename))
        let outputs = ResultsListing.list(workspace).filter { $0.file.type == .output }
        let released = outputs.filter { releasedNames.contains($0.file.filename) }
        let bytes = released.reduce(Int64(0)) { $0 + $1.file.filesize }
        log.line("status \(ending.status.rawValue) (\(ending.status.statusText))" + (ending.reason.map { ", \($0.rawValue)" } ?? ""))
        for entry in outputs {
            if releasedNames.contains(entry.file.filename) {
                log.line("output \(entry.file.filename): \(entry.file.filesize) bytes")
            } else {
                log.line("output \(entry.file.filename): \(entry.file.filesize) bytes, \(withheld[entry.file.filename]?.reason ?? "withheld: not checked")")
            }
        }
        let held = outputs.count - released.count
        log.line("published \(released.count) output file(s), \(bytes) bytes" + (held == 0 ? "" : "; withheld \(held)"))
        // Listed after the log is written, so its size is final; indexes count the results alone.
        let results = ResultsListing.list(workspace).map(\.file).filter { $0.type != .output || releasedNames.contains($0.filename) }
        return results.enumerated().map { i, file in
            JobResultFile(index: i, filename: file.filename, filesize: file.filesize, type: file.type)
        }
    }
}
