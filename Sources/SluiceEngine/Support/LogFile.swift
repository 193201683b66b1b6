import Foundation

/// An append-only text log of the node's own steps for one job (`configure.log`,
/// `publish.log`). Lines are timestamped; they never contain sources or secrets.
public final class LogFile: @unchecked Sendable {
    private let lock = NSLock()
    private let fd: Int32

    init(url: URL) throws {
        fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw WorkspaceError.cannotWriteLog }
    }

    deinit { close(fd) }

    public func line(_ text: String) {
        let stamp = String(format: "%.3f", Date().timeIntervalSince1970)
        let bytes = Array("\(stamp) \(text)\n".utf8)
        lock.withLock { _ = try? writeAll(fd, bytes, count: bytes.count) }
    }
}
