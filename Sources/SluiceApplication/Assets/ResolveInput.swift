import SluiceCore
import SluiceLedger

/// One input of a compute request (`InputReference`) to the stored
/// asset and the index of the service it names. Start and initialize both resolve
/// through here, and an asset that may not be ordered now is refused here, by
/// `OrderVerifier.verifyAsset`'s rule.
struct ResolveInput: Sendable {
    let node: SluiceNode

    func callAsFunction(_ reference: InputReference, field: String) async throws -> (DDO, Int) {
        guard let didText = reference.documentId, !didText.isEmpty else {
            throw RequestError.badRequest("\(field).documentId is required", field: "\(field).documentId")
        }
        guard let did = DID(didText) else {
            throw RequestError.badRequest("\(field).documentId must be did:op: followed by 64 hex digits", field: "\(field).documentId")
        }
        guard let ddo = try await node.assets.asset(did) else {
            throw RequestError.notFound("\(field).documentId: no asset \(did)", field: "\(field).documentId")
        }
        try node.orderVerifier.verifyAsset(ddo, field: "\(field).documentId")
        let serviceId = reference.serviceId ?? ""
        guard let (index, _) = ddo.service(id: serviceId) else {
            throw RequestError.notFound("\(field).serviceId: asset \(did) has no service \"\(serviceId.prefix(64))\"", field: "\(field).serviceId")
        }
        return (ddo, index)
    }
}
