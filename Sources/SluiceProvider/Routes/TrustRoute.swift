import Hummingbird
import SluiceApplication
import SluiceCore

extension Router {
    /// `POST /api/sluice/assets/<did>/trust` (action `trust`): adds a published algorithm to a
    /// compute service's trusted algorithms, with `filesChecksum` and
    /// `containerSectionChecksum` computed by the node from the algorithm as it is now;
    /// and/or sets the service's trusted publishers.
    /// Payload: `serviceId`, `algorithmDid` (optional), `publishers` (optional list).
    func addTrustRoute(node: SluiceNode) {
        post(RouterPath(Paths.sluiceAssets + "/:did/trust")) { request, context in
            let did = try Self.did(context.parameters.get("did"))
            var request = request
            let write = try await SignedWrite.read(&request, node: node, action: "trust")
            let ddo = try await SetTrust(node: node)(did, payload: write.payload, by: write.auth)
            return try JSONResponse.encode(ddo)
        }
    }
}
