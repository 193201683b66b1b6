import Foundation
import Hummingbird
import NIOCore
import SluiceApplication
import SluiceCore
import SluiceCrypto

extension NodeInfo {
    /// This node's answer to `GET /`. ocean-lib calls it before every request, so the
    /// answer is built once.
    init(node: SluiceNode, endpoints: EndpointRegistry) {
        let checksummed = node.providerAddress.checksummed
        self.init(software: SluiceNode.software, version: SluiceNode.version, chainIds: [node.config.chainId],
                  providerAddresses: [String(node.config.chainId): checksummed], providerAddress: checksummed,
                  serviceEndpoints: endpoints.serviceEndpoints, ledger: node.followsChain ? "evm" : "embedded")
    }
}

extension Router {
    func addDiscoveryRoute(node: SluiceNode, endpoints: EndpointRegistry) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = ByteBuffer(bytes: try encoder.encode(NodeInfo(node: node, endpoints: endpoints)))
        get("/") { _, _ in JSONResponse.bytes(body) }
    }
}
