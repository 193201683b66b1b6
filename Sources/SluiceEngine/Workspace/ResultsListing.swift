import Foundation
import SluiceCore

/// The results of a finished job, in contract order: outputs sorted by path, then
/// `algorithm.log`, `configure.log`, `publish.log`.
///
/// Only regular files count and symbolic links are never followed, so an algorithm
/// cannot publish a link to a host file (`/etc/shadow`) as its output.
enum ResultsListing {
    struct Entry: Sendable, Equatable {
        var file: JobResultFile
        /// Path relative to the workspace root.
        var relativePath: String
    }

    static func list(_ workspace: Workspace) -> [Entry] {
        var entries: [Entry] = []
        var outputs: [(String, Int64)] = []
        walk(directory: workspace.outputs.path, prefix: "", into: &outputs)
        outputs.sort { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
        for (path, size) in outputs {
            entries.append(Entry(file: JobResultFile(index: entries.count, filename: path, filesize: size, type: .output),
                                 relativePath: "outputs/" + path))
        }
        let logs: [(String, JobResultFile.Kind)] = [
            ("algorithm.log", .algorithmLog), ("configure.log", .configurationLog), ("publish.log", .publishLog),
        ]
        for (name, kind) in logs {
            if let size = regularFileSize(workspace.logs.appendingPathComponent(name).path) {
                entries.append(Entry(file: JobResultFile(index: entries.count, filename: name, filesize: size, type: kind),
                                     relativePath: "logs/" + name))
            }
        }
        return entries
    }

    /// Bytes used under `path` (regular files, not following links).
    static func usage(of path: String) -> Int64 {
        var files: [(String, Int64)] = []
        walk(directory: path, prefix: "", into: &files)
        return files.reduce(0) { $0 + $1.1 }
    }

    static func regularFileSize(_ path: String) -> Int64? {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(st.st_size)
    }

    private static func walk(directory: String, prefix: String, into out: inout [(String, Int64)], depth: Int = 0) {
        guard depth < 64, let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let full = directory + "/" + name
            var st = stat()
            guard lstat(full, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFREG: out.append((prefix + name, Int64(st.st_size)))
            case S_IFDIR: walk(directory: full, prefix: prefix + name + "/", into: &out, depth: depth + 1)
            default: continue
            }
        }
    }
}
