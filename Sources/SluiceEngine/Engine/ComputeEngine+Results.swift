public import Foundation
public import SluiceCore

/// A result file opened for streaming. The handle is positioned at 0; the caller
/// reads it in chunks (or seeks for Range requests) and closes it.
public struct OpenedResult: Sendable {
    public let file: JobResultFile
    public let handle: FileHandle
    /// Size at open time (the file no longer changes: its job has ended).
    public let size: Int64
    /// The last path component, for Content-Disposition.
    public var downloadName: String { file.filename.split(separator: "/").last.map(String.init) ?? file.filename }
}

extension ComputeEngine {
    /// The results of a job (empty until it ends); nil for an unknown job.
    public func results(of id: String) async throws -> [JobResultFile]? {
        try await record(id: id)?.results
    }

    /// Opens result `index` of a finished job; nil for an unknown job or index.
    /// Never follows a symbolic link, so an output cannot point at a host file.
    public func openResult(jobId: String, index: Int) async throws -> OpenedResult? {
        guard let record = try await record(id: jobId), record.status.isTerminal,
              let file = record.results.first(where: { $0.index == index }) else { return nil }
        let relative = (file.type == .output ? "outputs/" : "logs/") + file.filename
        guard let fd = Self.openWithoutLinks(root: workspace(of: jobId).root.path, relative: relative) else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        return OpenedResult(file: file, handle: FileHandle(fileDescriptor: fd, closeOnDealloc: true), size: Int64(st.st_size))
    }

    /// openat one component at a time with O_NOFOLLOW: no link anywhere on the path.
    static func openWithoutLinks(root: String, relative: String) -> Int32? {
        let parts = relative.split(separator: "/").map(String.init)
        guard !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else { return nil }
        var dir = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dir >= 0 else { return nil }
        for (i, part) in parts.enumerated() {
            let last = i == parts.count - 1
            let next = openat(dir, part, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (last ? 0 : O_DIRECTORY))
            close(dir)
            guard next >= 0 else { return nil }
            dir = next
        }
        return dir
    }
}
