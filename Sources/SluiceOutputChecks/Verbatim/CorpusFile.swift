#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file the verbatim check reads, already opened by the caller (who closes it):
/// read in chunks for fingerprints, and at offsets to compare bytes.
public struct CorpusFile: Sendable, Equatable {
    /// The caller's number for it (an output's or an input's position).
    public let id: Int
    public let descriptor: Int32
    public let size: Int64

    public init(id: Int, descriptor: Int32, size: Int64) {
        self.id = id
        self.descriptor = descriptor
        self.size = size
    }

    /// Reads up to `buffer.count` bytes at `offset`; nil on a read error.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int? {
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Streams the whole file in chunks of `chunk` bytes; `body` returns false to stop.
    /// false when a read failed.
    public func stream(chunk: Int, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        stream(from: 0, to: .max, chunk: chunk, body)
    }

    /// The same over bytes `from..<to` only.
    func stream(from: Int64, to end: Int64, chunk: Int, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var offset = from
        while offset < end {
            let wanted = Int(min(Int64(chunk), end - offset))
            guard let n = read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]), at: offset) else { return false }
            if n == 0 { return true }
            if !body(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) { return true }
            offset += Int64(n)
        }
        return true
    }
}
