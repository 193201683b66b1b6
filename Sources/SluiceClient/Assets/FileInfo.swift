import Foundation
import NIOHTTP1
public import SluiceCore

extension NodeClient {
    /// `POST /api/services/fileinfo` for every file of a service of an asset.
    public func fileInfo(did: DID, serviceId: String, checksum: Bool = false) async throws(ClientError) -> [FileInfo] {
        let body = JSONValue.object(["did": .string(did.text), "serviceId": .string(serviceId), "checksum": .bool(checksum)])
        return try await http.json([FileInfo].self, .POST, Paths.fileinfo, body: body.compactJSON())
    }
}
