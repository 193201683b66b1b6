import Foundation

/// Small file operations on cgroup filesystems.
enum CgroupFiles {
    static func write(_ value: String, to path: String) throws {
        guard let fh = FileHandle(forWritingAtPath: path) else { throw CgroupError.cannotWrite(path) }
        defer { try? fh.close() }
        do { try fh.write(contentsOf: Data(value.utf8)) } catch { throw CgroupError.cannotWrite(path) }
    }

    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// `usage_usec` of a `cpu.stat` (cgroup v2) in seconds; its lines may come joined.
    static func cpuSeconds(fromCPUStat text: String) -> Double? {
        let words = text.split(whereSeparator: \.isWhitespace)
        guard let at = words.firstIndex(of: "usage_usec"), at + 1 < words.count, let micro = Double(words[at + 1]) else { return nil }
        return micro / 1e6
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CgroupError.cannotCreate(path)
        }
    }

    /// The pids listed in a `cgroup.procs` file.
    static func pids(in procsFile: String) -> [pid_t] {
        (read(procsFile) ?? "").split(whereSeparator: \.isNewline).compactMap { pid_t($0) }
    }

    /// Kills everything in `procsFile` until it reads empty: a dying pid namespace or a
    /// fork racing the kill leaves stragglers for a few rounds at most.
    static func killAll(listedIn procsFile: String) {
        for round in 0..<200 {
            let pids = pids(in: procsFile)
            if pids.isEmpty { return }
            for pid in pids where pid > 1 { kill(pid, SIGKILL) }
            usleep(round < 20 ? 1_000 : 10_000)
        }
    }

    /// rmdir, retried briefly: the kernel releases a cgroup a moment after its last task exits.
    static func removeDirectory(_ path: String) {
        for _ in 0..<50 {
            if rmdir(path) == 0 || errno == ENOENT { return }
            usleep(2_000)
        }
    }

    /// The cgroup path of this process for `controller` ("" for the v2 unified line).
    static func ownPath(controller: String) -> String? {
        guard let text = read("/proc/self/cgroup") else { return nil }
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let controllers = parts[1].split(separator: ",").map(String.init)
            if controller.isEmpty ? parts[1].isEmpty && parts[0] == "0" : controllers.contains(controller) {
                return String(parts[2])
            }
        }
        return nil
    }
}

enum CgroupError: Error, CustomStringConvertible {
    case cannotWrite(String)
    case cannotCreate(String)
    case controllerMissing(String)

    var description: String {
        switch self {
        case .cannotWrite(let path): return "cannot write \(path)"
        case .cannotCreate(let path): return "cannot create \(path)"
        case .controllerMissing(let name): return "cgroup controller \(name) is not available"
        }
    }
}
