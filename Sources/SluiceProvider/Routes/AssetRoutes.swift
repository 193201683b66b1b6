import Foundation
import Hummingbird
import Logging
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceLedger

extension Router {
    /// Publishing assets: Sluice's own signed writes under `/api/sluice/assets`.
    func addAssetRoutes(node: SluiceNode) {
        post(RouterPath(Paths.sluiceAssets)) { request, _ in
            var request = request
            let write = try await SignedWrite.read(&request, node: node, action: "publish")
            let draft = try AssetDraft.parse(.object(write.payload))
            let ddo = try await node.embedded.publish(draft, by: write.auth)
            node.logger.info("published \(ddo.id) (\(ddo.metadata.type.rawValue)) for \(write.auth.signer)")
            return try JSONResponse.encode(ddo, status: .created)
        }

        put(RouterPath(Paths.sluiceAssets + "/:did")) { request, context in
            let did = try Self.did(context.parameters.get("did"))
            var request = request
            let write = try await SignedWrite.read(&request, node: node, action: "update")
            let draft = try AssetDraft.parse(.object(write.payload))
            return try JSONResponse.encode(try await node.embedded.update(did, with: draft, by: write.auth))
        }
    }

    static func did(_ text: String?) throws(RequestError) -> DID {
        guard let text, let did = DID(text) else {
            throw .badRequest("did must be did:op: followed by 64 lowercase hex digits", field: "did")
        }
        return did
    }
}
