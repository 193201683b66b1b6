import Foundation
import Hummingbird
import NIOCore
import SluiceApplication
import SluiceCore
import SluiceCrypto

extension NodeInfo {
    /// This node's answer to `GET /`, as it holds the chain indexer or not.
    init(node: SluiceNode, endpoints: EndpointRegistry, holdsIndexer: Bool?) {
        let checksummed = node.providerAddress.checksummed
        self.init(software: SluiceNode.software, version: SluiceNode.version, chainIds: [node.config.chainId],
                  providerAddresses: [String(node.config.chainId): checksummed], providerAddress: checksummed,
                  serviceEndpoints: endpoints.serviceEndpoints, ledger: node.followsChain ? "evm" : "embedded",
                  replica: node.replica, holdsIndexer: holdsIndexer)
    }
}

extension Router {
    /// ocean-lib calls `GET /` before every request, so both of its answers (holding the
    /// indexer or not) are built once.
    func addDiscoveryRoute(node: SluiceNode, endpoints: EndpointRegistry) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func body(_ holds: Bool?) throws -> ByteBuffer {
            ByteBuffer(bytes: try encoder.encode(NodeInfo(node: node, endpoints: endpoints, holdsIndexer: holds)))
        }
        let (alone, holding, following) = (try body(nil), try body(true), try body(false))
        let chain = node.chainIndexer != nil, role = node.indexerRole
        get("/") { _, _ in JSONResponse.bytes(!chain ? alone : role.isHeld ? holding : following) }
        get(RouterPath(Paths.sluiceHealth)) { _, _ in try JSONResponse.encode(node.health) }
    }
}
