import Logging
public import ServiceLifecycle
public import SluiceCore
import SluiceCrypto
public import SluiceEVM

/// `--chain`: the EVM ledger and the metadata indexer for one chain.
enum EVMChainAssembly {
    static func open(_ chain: ChainConfig, nodeChainId: Int, store: any IndexedAssetStore, key: PrivateKey,
                     logger: Logger) async throws -> (any Ledger, MetadataIndexer) {
        guard chain.chainId == nodeChainId else {
            throw NodeAssembly.Failure(description: "the chain config is for chain \(chain.chainId) but the node serves chain \(nodeChainId)")
        }
        let client = JSONRPCClient(configuration: chain.rpc, logger: logger)
        // A chain that is down at start may come back; one that is another chain is a mistake.
        do {
            let answered = try await client.chainId()
            guard answered == chain.chainId else {
                throw NodeAssembly.Failure(description: "the RPC endpoint \(chain.rpc.redactedEndpoint) serves chain \(answered), not \(chain.chainId)")
            }
        } catch let error as RPCError {
            logger.warning("\(error); orders cannot be checked until it answers")
        }
        let indexer = MetadataIndexer(client: client, config: chain, store: store, key: key, logger: logger)
        return (EVMLedger(client: client, logger: logger), indexer)
    }
}

/// Runs the chain indexer with the node whenever this replica holds its role (one replica
/// at a time follows the chain); stops it on SIGINT/SIGTERM.
public struct ChainIndexerService: Service {
    let indexer: MetadataIndexer
    let role: any ExclusiveRole

    public init(indexer: MetadataIndexer, role: any ExclusiveRole) {
        self.indexer = indexer
        self.role = role
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await role.whileHeld { await indexer.run() }
        }
    }
}
