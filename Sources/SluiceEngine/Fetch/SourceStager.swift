import Foundation
public import SluiceCore

/// Fetches sources once, when a job is started, into the node's private staging area,
/// so what a check at start hashes is what the job later runs (`JobAlgorithm.Code.staged`).
public struct SourceStager: Sendable {
    let fetcher: SourceFetcher
    let root: URL

    public init(configuration: EngineConfiguration) {
        fetcher = SourceFetcher(configuration: configuration)
        root = configuration.stagingRoot
    }

    /// Fetches every source into a fresh staging directory, in order. On any failure
    /// nothing stays staged; errors are `RequestError`s naming `field` and index.
    public func stage(_ sources: [DataSource], field: String) async throws -> [StagedFile] {
        guard !sources.isEmpty else { return [] }
        let directory = root.appendingPathComponent(UUID().uuidString)
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            chmod(root.path, 0o700)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw RequestError(.unavailable, "the node cannot stage files now; try again later")
        }
        do {
            var staged: [StagedFile] = []
            for (index, source) in sources.enumerated() {
                let file = directory.appendingPathComponent(String(index))
                let fetched = try await fetcher.fetchForRequest(source, to: file, field: "\(field) file \(index)")
                staged.append(StagedFile(path: file.path, sha256: fetched.sha256, size: fetched.size))
            }
            return staged
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Removes staged files a job will not use.
    public func discard(_ files: [StagedFile]) { Self.discard(files, under: root) }

    /// Removes staged files (and their directory once empty), but only inside `root`:
    /// a path from anywhere else is never deleted.
    static func discard(_ files: [StagedFile], under root: URL) {
        let prefix = root.standardizedFileURL.path + "/"
        for file in files {
            let url = URL(fileURLWithPath: file.path).standardizedFileURL
            guard url.path.hasPrefix(prefix) else { continue }
            try? FileManager.default.removeItem(at: url)
            // Fails, harmlessly, while the directory still holds other files.
            rmdir(url.deletingLastPathComponent().path)
        }
    }
}
