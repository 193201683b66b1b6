import Foundation
import SluiceCore
import SluiceCrypto
import SluiceOutputChecks

/// Status 50 on disk: opens a finished job's outputs and inputs without following links,
/// runs the output checks (`OutputReview`) under the job's policy, and closes them. No
/// output reaches the results before it passed here.
enum OutputGate {
    /// Output files checked per job (each is held open while the checks run); the
    /// files past it, in path order, are withheld.
    static let maxOutputFiles = 2048

    /// The policy of a job: the node's defaults overridden by each dataset's owner, then
    /// the strictest of each rule across the datasets.
    static func policy(for specification: JobSpecification?, defaults: EffectiveOutputPolicy) -> EffectiveOutputPolicy {
        guard let inputs = specification?.inputs, !inputs.isEmpty else { return defaults }
        return .strictest(inputs.map { defaults.overridden(by: $0.outputPolicy) })
    }

    static func check(_ workspace: Workspace, policy: EffectiveOutputPolicy) -> OutputChecks {
        let root = workspace.root.path
        let outputs = ResultsListing.list(workspace).filter { $0.file.type == .output }
        var opened: [Int32] = []
        defer { for fd in opened { close(fd) } }
        var candidates: [OutputCandidate] = []
        for (i, entry) in outputs.enumerated() {
            guard i < maxOutputFiles else {
                candidates.append(OutputCandidate(filename: entry.file.filename, size: entry.file.filesize, file: nil, refusal: Withholding(
                    .tooManyFiles, "withheld: the job wrote more than \(maxOutputFiles) output files, the most the node checks for one job")))
                continue
            }
            let file = openRegular(root: root, relative: entry.relativePath, id: i)
            if let file { opened.append(file.descriptor) }
            candidates.append(OutputCandidate(filename: entry.file.filename, size: file?.size ?? entry.file.filesize, file: file))
        }
        var inputs: [InputCandidate] = []
        for (name, relative) in inputFiles(workspace) {
            guard let file = openRegular(root: root, relative: relative, id: inputs.count) else { continue }
            opened.append(file.descriptor)
            inputs.append(InputCandidate(name: name, file: file))
        }
        let decisions = OutputReview.review(outputs: candidates, inputs: inputs, policy: policy)
        return OutputChecks(policy: policy, decisions: decisions)
    }

    /// The same off the concurrency pool: the checks read every byte of the outputs and
    /// inputs, which may take seconds.
    static func checkAway(_ workspace: Workspace, policy: EffectiveOutputPolicy) async -> OutputChecks {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(returning: check(workspace, policy: policy))
            }
        }
    }

    /// The SHA-256 of each released output, read without following links; an output
    /// that cannot be read is left out (and so fails a receipt's verification).
    static func digestsAway(_ workspace: Workspace, of results: [JobResultFile]) async -> [JobReceipt.File] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(returning: results.filter { $0.type == .output }.compactMap { file in
                    guard let opened = openRegular(root: workspace.root.path, relative: "outputs/" + file.filename, id: 0) else { return nil }
                    defer { close(opened.descriptor) }
                    var hasher = StreamingSHA256()
                    var size: Int64 = 0
                    let ok = opened.stream(chunk: 1 << 20) { bytes in
                        hasher.update(bytes)
                        size += Int64(bytes.count)
                        return true
                    }
                    return ok ? JobReceipt.File(filename: file.filename, sha256: hasher.hexDigest(), size: size) : nil
                })
            }
        }
    }

    /// The datasets' files, `inputs/<did>/<n>`, with how a sentence names each.
    static func inputFiles(_ workspace: Workspace) -> [(name: String, relative: String)] {
        let fm = FileManager.default
        guard let dirs = try? fm.contentsOfDirectory(atPath: workspace.inputs.path) else { return [] }
        var out: [(String, String)] = []
        for dir in dirs.sorted() {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: workspace.inputs.appendingPathComponent(dir).path, isDirectory: &isDirectory),
                  isDirectory.boolValue,
                  let files = try? fm.contentsOfDirectory(atPath: workspace.inputs.appendingPathComponent(dir).path) else { continue }
            let dataset = dir.utf8.count == 64 ? "did:op:" + dir : dir
            for file in files.compactMap({ Int($0) }).filter({ files.contains(String($0)) }).sorted() {
                out.append(("input file \(file) of dataset \(dataset)", "inputs/\(dir)/\(file)"))
            }
        }
        return out
    }

    /// A regular file opened along a path without links; nil for anything else.
    static func openRegular(root: String, relative: String, id: Int) -> CorpusFile? {
        guard let fd = ComputeEngine.openWithoutLinks(root: root, relative: relative) else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        return CorpusFile(id: id, descriptor: fd, size: Int64(st.st_size))
    }
}
