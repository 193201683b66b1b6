import Hummingbird
import SluiceApplication
import SluiceCore
import SluiceCrypto

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
            guard let serviceId = write.payload["serviceId"]?.scalarText else {
                throw RequestError.badRequest("payload.serviceId is required", field: "payload.serviceId")
            }
            var trusted: TrustedAlgorithm?
            if let algoText = write.payload["algorithmDid"]?.stringValue {
                guard let algoDid = DID(algoText), let algo = try await node.assets.asset(algoDid) else {
                    throw RequestError.notFound("payload.algorithmDid: no asset \(algoText)", field: "payload.algorithmDid")
                }
                guard algo.isAlgorithm, let info = algo.metadata.algorithm, let first = algo.services.first,
                      let nft = EthereumAddress(algo.nftAddress) else {
                    throw RequestError.badRequest("payload.algorithmDid is not an algorithm", field: "payload.algorithmDid")
                }
                let files = try node.fileCipher.files(of: first, nft: nft)
                trusted = TrustedAlgorithm(
                    did: algo.id.text,
                    filesChecksum: try await AlgorithmChecksums.files(files, inspector: node.inspector),
                    containerSectionChecksum: AlgorithmChecksums.container(info.container))
            }
            var publishers: [EthereumAddress]?
            if let list = write.payload["publishers"], !list.isNull {
                guard let items = list.arrayValue else {
                    throw RequestError.badRequest("payload.publishers must be a list of addresses", field: "payload.publishers")
                }
                publishers = try items.map { item throws(RequestError) in
                    guard let text = item.stringValue, let address = EthereumAddress(text) else {
                        throw .badRequest("payload.publishers must be a list of addresses", field: "payload.publishers")
                    }
                    return address
                }
            }
            guard trusted != nil || publishers != nil else {
                throw RequestError.badRequest("payload needs algorithmDid or publishers", field: "payload.algorithmDid")
            }
            let ddo = try await node.embedded.setTrust(did, serviceId: serviceId, algorithm: trusted, publishers: publishers, by: write.auth)
            return try JSONResponse.encode(ddo)
        }
    }
}
