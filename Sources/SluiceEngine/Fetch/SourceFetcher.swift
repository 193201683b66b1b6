import Foundation
import SluiceCore

/// Copies a source into a job's workspace: node paths are copied, http(s) URLs
/// downloaded; both stop at `maxBytes`, downloads also at `timeout`.
struct SourceFetcher: Sendable {
    let maxBytes: Int64
    let timeout: Double

    func fetch(_ source: DataSource, to destination: URL) async throws {
        switch source {
        case .path(let path):
            try copyLocal(path, to: destination.path)
        case .url(let text):
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https" else { throw FetchError.unsupportedScheme }
            try await HTTPDownload(url: url, destination: destination, maxBytes: maxBytes, timeout: timeout).run()
        }
    }

    /// Streams the file in 1 MiB chunks so a large input never sits in memory.
    private func copyLocal(_ path: String, to destination: String) throws {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw FetchError.missingLocalFile }
        defer { close(input) }
        var st = stat()
        guard fstat(input, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw FetchError.notARegularFile }
        guard Int64(st.st_size) <= maxBytes else { throw FetchError.tooLarge(limit: maxBytes) }
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard output >= 0 else { throw FetchError.cannotWrite }
        defer { close(output) }
        var total: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            try Task.checkCancellation()
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n == 0 { break }
            guard n > 0 else { if errno == EINTR { continue }; throw FetchError.cannotWrite }
            total += Int64(n)
            guard total <= maxBytes else { throw FetchError.tooLarge(limit: maxBytes) }
            try writeAll(output, buffer, count: n)
        }
    }
}

func writeAll(_ fd: Int32, _ buffer: [UInt8], count: Int) throws {
    var offset = 0
    while offset < count {
        let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + offset, count - offset) }
        guard n > 0 else { if n < 0 && errno == EINTR { continue }; throw FetchError.cannotWrite }
        offset += n
    }
}
