import Foundation

/// The batch script's output (stdout and stderr of the sandbox) into algorithm.log, and
/// the small files it leaves beside it.
enum SlurmOutput {
    /// Copies at most `cap` bytes (then the cut marker), never following a link.
    static func copy(from source: String, to log: URL, cap: Int64) {
        let input = open(source, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard input >= 0 else { return }
        defer { close(input) }
        guard let capped = try? CappedLog(url: log, cap: cap) else { return }
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while !capped.wasCut {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            capped.append(buffer, count: count)
        }
    }

    /// The first `limit` bytes of a small file the batch script wrote, never through a link.
    static func readSmall(_ path: String, limit: Int = 4096) -> String? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return count < 0 ? nil : String(decoding: buffer.prefix(count), as: UTF8.self)
    }
}
