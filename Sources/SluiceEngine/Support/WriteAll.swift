import Foundation

/// Writes `count` bytes of `buffer` to `fd`, retrying short writes and EINTR.
func writeAll(_ fd: Int32, _ buffer: [UInt8], count: Int) throws {
    try buffer.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        var offset = 0
        while offset < count {
            let n = write(fd, base + offset, count - offset)
            guard n > 0 else { if n < 0 && errno == EINTR { continue }; throw FetchError.cannotWrite }
            offset += n
        }
    }
}
