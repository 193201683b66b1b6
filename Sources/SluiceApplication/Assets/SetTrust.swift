public import SluiceCore
import SluiceLedger

/// Trust (`POST /api/sluice/assets/<did>/trust`, action `trust`): adds a published
/// algorithm to a compute service's trusted algorithms, with `filesChecksum` and
/// `containerSectionChecksum` the node computes from the algorithm as it is now, and/or
/// sets the service's trusted publishers. Payload: `serviceId`, `algorithmDid`
/// (optional), `publishers` (optional list).
public struct SetTrust: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(_ did: DID, payload: [String: JSONValue], by auth: Authorization) async throws -> DDO {
        guard let serviceId = payload["serviceId"]?.scalarText else {
            throw RequestError.badRequest("payload.serviceId is required", field: "payload.serviceId")
        }
        var trusted: TrustedAlgorithm?
        if let algoText = payload["algorithmDid"]?.stringValue {
            guard let algoDid = DID(algoText), let algo = try await node.assets.asset(algoDid) else {
                throw RequestError.notFound("payload.algorithmDid: no asset \(algoText)", field: "payload.algorithmDid")
            }
            guard algo.isAlgorithm, let info = algo.metadata.algorithm, let first = algo.services.first else {
                throw RequestError.badRequest("payload.algorithmDid is not an algorithm", field: "payload.algorithmDid")
            }
            let files = try node.fileCipher.files(of: first, nft: algo.nftAddress)
            trusted = TrustedAlgorithm(
                did: algo.id.text,
                filesChecksum: try await AlgorithmChecksums.files(files, inspector: node.inspector),
                containerSectionChecksum: AlgorithmChecksums.container(info.container))
        }
        var publishers: [EthereumAddress]?
        if let list = payload["publishers"], !list.isNull {
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
    return try await node.embedded.setTrust(did, serviceId: serviceId, algorithm: trusted, publishers: publishers, by: auth)
    }
}
