import Foundation
import SluiceCore
import SluiceCrypto

/// What the node learns about a source without keeping it: its size, SHA-256 and a
/// content type guessed from its name. Used for `fileinfo` and trusted-algorithm
/// checksums; fetched with the same limits as job inputs.
public struct SourceInfo: Sendable, Equatable {
    public var size: Int64
    public var sha256: String
    public var contentType: String
}

public struct SourceInspector: Sendable {
    let fetcher: SourceFetcher
    let scratch: URL

    public init(configuration: EngineConfiguration) {
        fetcher = SourceFetcher(maxBytes: configuration.maxSourceBytes, timeout: configuration.fetchTimeoutSeconds)
        scratch = configuration.workspaceRoot.appendingPathComponent(".inspect")
    }

    /// Fetches `source` into a scratch file, hashes it in chunks, and removes it. Errors
    /// are `RequestError`s that never name the source.
    public func inspect(_ source: DataSource, field: String) async throws -> SourceInfo {
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = scratch.appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try await fetcher.fetch(source, to: file)
        } catch let error as FetchError {
            throw RequestError.badRequest("\(field) could not be read: \(error.description)", field: field)
        }
        guard let handle = try? FileHandle(forReadingFrom: file) else {
            throw RequestError.badRequest("\(field) could not be read", field: field)
        }
        defer { try? handle.close() }
        var hasher = StreamingSHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            size += Int64(chunk.count)
            hasher.update(Array(chunk))
        }
        return SourceInfo(size: size, sha256: hasher.hexDigest(), contentType: Self.contentType(of: source))
    }

    static func contentType(of source: DataSource) -> String {
        let name: String
        switch source {
        case .path(let p): name = p
        case .url(let u): name = URL(string: u)?.path ?? u
        }
        switch (name as NSString).pathExtension.lowercased() {
        case "csv": return "text/csv"
        case "json": return "application/json"
        case "txt", "arff": return "text/plain"
        case "py": return "text/x-python"
        case "zip": return "application/zip"
        case "pkl", "pickle": return "application/octet-stream"
        default: return "application/octet-stream"
        }
    }
}
