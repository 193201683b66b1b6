import Foundation
import SluiceCore

/// What the node can tell about a file without revealing where it is.
public struct FileInfo: Decodable, Sendable, Equatable {
    public let index: Int
    public let valid: Bool
    public let type: String?
    public let contentLength: String?
    public let contentType: String?
    /// SHA-256 hex of the contents, when asked for.
    public let checksum: String?
}

extension NodeClient {
    /// `POST /api/services/fileinfo` for every file of a service of an asset.
    public func fileInfo(did: DID, serviceId: String, checksum: Bool = false) async throws(ClientError) -> [FileInfo] {
        let body = JSONValue.object(["did": .string(did.text), "serviceId": .string(serviceId), "checksum": .bool(checksum)])
        return try await http.json([FileInfo].self, .POST, Paths.fileinfo, body: body.compactJSON())
    }
}
