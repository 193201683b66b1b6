import Foundation

/// Writes the algorithm's output to `algorithm.log` up to `cap` bytes, then one marker
/// line, then discards the rest (still drained, so the algorithm never blocks on it).
final class CappedLog: @unchecked Sendable {
    // Used from the single reader thread only.
    private let fd: Int32
    private let cap: Int64
    private var written: Int64 = 0
    private(set) var wasCut = false

    init(url: URL, cap: Int64) throws {
        fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw WorkspaceError.cannotWriteLog }
        self.cap = cap
    }

    deinit { close(fd) }

    static func marker(cap: Int64) -> String {
        "\n[sluice: algorithm.log was cut at \(cap) bytes; further output was discarded]\n"
    }

    func append(_ buffer: [UInt8], count: Int) {
        guard !wasCut else { return }
        let room = Int(max(0, cap - written))
        let take = min(room, count)
        if take > 0 {
            try? writeAll(fd, buffer, count: take)
            written += Int64(take)
        }
        if take < count {
            wasCut = true
            let marker = Array(Self.marker(cap: cap).utf8)
            try? writeAll(fd, marker, count: marker.count)
        }
    }
}
