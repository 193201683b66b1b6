import Foundation
import SluiceCore
import SluiceCrypto

/// What a fetch wrote: the size and SHA-256 of exactly the bytes now in the file.
struct FetchedFile: Sendable, Equatable {
    var size: Int64
    var sha256: String
}

/// Writes a fetched file and hashes the same bytes as they go, so the digest the job
/// records is of what it got, not of another download. Stops past `maxBytes`.
final class HashingWriter {
    private let fd: Int32
    private let maxBytes: Int64
    private var hasher = StreamingSHA256()
    private var size: Int64 = 0
    private var closed = false

    init(destination: URL, maxBytes: Int64) throws {
        // O_NOFOLLOW: a link planted at the destination cannot redirect the write.
        fd = open(destination.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw FetchError.cannotWrite }
        fchmod(fd, 0o644)
        self.maxBytes = maxBytes
    }

    deinit { if !closed { close(fd) } }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        size += Int64(bytes.count)
        guard size <= maxBytes else { throw FetchError.tooLarge(limit: maxBytes) }
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, base + offset, bytes.count - offset)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw FetchError.cannotWrite }
            offset += n
        }
    }

    func finish() throws -> FetchedFile {
        closed = true
        guard close(fd) == 0 else { throw FetchError.cannotWrite }
        return FetchedFile(size: size, sha256: hasher.hexDigest())
    }
}
