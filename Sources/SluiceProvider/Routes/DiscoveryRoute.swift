import Foundation
import Hummingbird
import NIOCore
import SluiceApplication
import SluiceCore
import SluiceCrypto

/// `GET /`: who this provider is and where its endpoints are (contract section 1).
/// ocean-lib calls it before every request, so the answer is built once.
struct DiscoveryDocument: Encodable {
    let software: String
    let version: String
    let chainIds: [Int]
    let providerAddresses: [String: String]
    let providerAddress: String
    let serviceEndpoints: [String: [String]]
    /// `embedded` or `evm`: where orders are placed, so clients know whether the
    /// `/api/sluice` ledger routes serve.
    let ledger: String

    init(node: SluiceNode, endpoints: EndpointRegistry) {
        software = SluiceNode.software
        version = SluiceNode.version
        chainIds = [node.config.chainId]
        let checksummed = node.providerAddress.checksummed
        providerAddresses = [String(node.config.chainId): checksummed]
        providerAddress = checksummed
        serviceEndpoints = endpoints.serviceEndpoints
        ledger = node.followsChain ? "evm" : "embedded"
    }
}

extension Router {
    func addDiscoveryRoute(node: SluiceNode, endpoints: EndpointRegistry) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = ByteBuffer(bytes: try encoder.encode(DiscoveryDocument(node: node, endpoints: endpoints)))
        get("/") { _, _ in JSONResponse.bytes(body) }
    }
}
