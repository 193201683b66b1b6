import Foundation

/// The batch script's output (stdout and stderr of the sandbox) into algorithm.log.
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
}
