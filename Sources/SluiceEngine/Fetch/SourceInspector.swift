import Foundation
public import SluiceCore

/// What the node learns about a source without keeping it: its size, SHA-256 and a
/// content type guessed from its name. Used for `fileinfo`; fetched with the same
/// limits and egress policy as job inputs.
public struct SourceInfo: Sendable, Equatable {
    public var size: Int64
    public var sha256: String
    public var contentType: String
}

public struct SourceInspector: Sendable {
    let fetcher: SourceFetcher
    let scratch: URL

    public init(configuration: EngineConfiguration) {
        fetcher = SourceFetcher(configuration: configuration)
        scratch = configuration.workspaceRoot.appendingPathComponent(".inspect")
    }

    /// Fetches `source` into a scratch file, hashing it as it arrives, and removes it.
    /// Errors are `RequestError`s that never name the source: 403 when the egress
    /// policy refuses it, 400 otherwise.
    public func inspect(_ source: DataSource, field: String) async throws -> SourceInfo {
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = scratch.appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: file) }
        let fetched = try await fetcher.fetchForRequest(source, to: file, field: field)
        return SourceInfo(size: fetched.size, sha256: fetched.sha256, contentType: Self.contentType(of: source))
    }

    static func contentType(of source: DataSource) -> String {
        let name: String
        switch source {
        case .path(let p): name = p
        case .url(let u): name = URL(string: u)?.path ?? u
        }
        return MediaType.of(fileName: name)
    }
}
