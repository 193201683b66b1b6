import Foundation
import SluiceCore

/// Copies a source into a job's workspace (or the staging area): node paths are
/// copied, http(s) URLs downloaded through the egress policy; both stop at `maxBytes`,
/// downloads also at `timeout`. Returns the digest of the bytes written.
struct SourceFetcher: Sendable {
    let maxBytes: Int64
    let timeout: Double
    let gate: EgressGate
    let metrics: NodeMetrics

    init(configuration: EngineConfiguration) {
        maxBytes = configuration.maxSourceBytes
        timeout = configuration.fetchTimeoutSeconds
        gate = EgressGate(policy: configuration.egress, resolver: configuration.resolver)
        metrics = configuration.metrics
    }

    /// Fetches, counting the bytes that arrived and the fetches the egress policy refused.
    func fetch(_ source: DataSource, to destination: URL) async throws -> FetchedFile {
        do {
            let fetched = try await fetchUncounted(source, to: destination)
            metrics.fetched(bytes: fetched.size)
            return fetched
        } catch FetchError.refused(let refusal) {
            metrics.fetchRefused()
            throw FetchError.refused(refusal)
        }
    }

    private func fetchUncounted(_ source: DataSource, to destination: URL) async throws -> FetchedFile {
        switch source {
        case .path(let path):
            return try copyLocal(path, to: destination)
        case .url(let text):
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https" else { throw FetchError.unsupportedScheme }
            return try await HTTPDownload(url: url, destination: destination, maxBytes: maxBytes, timeout: timeout, gate: gate).run()
        }
    }

    /// Writes bytes the node already holds (a raw algorithm), with their digest.
    func write(_ bytes: [UInt8], to destination: URL) throws -> FetchedFile {
        let writer = try HashingWriter(destination: destination, maxBytes: Int64.max)
        try bytes.withUnsafeBytes { try writer.write($0) }
        return try writer.finish()
    }

    /// Streams the file in 1 MiB chunks so a large input never sits in memory.
    func copyLocal(_ path: String, to destination: URL) throws -> FetchedFile {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw FetchError.missingLocalFile }
        defer { close(input) }
        var st = stat()
        guard fstat(input, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw FetchError.notARegularFile }
        guard Int64(st.st_size) <= maxBytes else { throw FetchError.tooLarge(limit: maxBytes) }
        let writer = try HashingWriter(destination: destination, maxBytes: maxBytes)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            try Task.checkCancellation()
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n == 0 { break }
            guard n > 0 else { if errno == EINTR { continue }; throw FetchError.cannotWrite }
            try buffer.withUnsafeBytes { try writer.write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return try writer.finish()
    }
}
