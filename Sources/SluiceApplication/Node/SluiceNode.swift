public import Foundation
public import Logging
public import SluiceCore
public import SluiceCrypto
public import SluiceEVM
public import SluiceEngine
public import SluiceLedger

/// The assembled node: its configuration, its key, its stores (by protocol) and its
/// engine. The use cases of this target work on it; the HTTP layer holds one.
public struct SluiceNode: Sendable {
    public let config: NodeConfig
    /// The node's own key. Signs provider fees; its address is the provider address.
    public let providerKey: PrivateKey
    public let providerAddress: EthereumAddress
    public let stores: NodeStores
    public var nonces: any NonceStore { stores.nonces }
    /// Where DDOs are resolved.
    public var assets: any AssetStore { stores.assets }
    /// Where the metadata cache's queries run.
    public var search: any AssetSearchStore { stores.search }
    /// The ledger orders are checked against.
    public let ledger: any Ledger
    /// The embedded ledger: publishing, tokens and orders kept by the node itself
    /// (the `/api/sluice` routes).
    public let embedded: EmbeddedLedger
    /// Orders are checked on a chain (`--chain`): the embedded ledger's routes then answer
    /// 409, since what they would create could never be ordered there.
    public let followsChain: Bool
    public let fileCipher: FileListCipher
    public let orderVerifier: OrderVerifier
    public let now: @Sendable () -> Int
    public let engine: ComputeEngine
    /// With `--chain`: follows the chain's published assets into the store.
    public let chainIndexer: MetadataIndexer?
    /// Who runs `chainIndexer`: one replica at a time among those sharing a database.
    public let indexerRole: any ExclusiveRole
    /// This process among the replicas sharing the database (`host:pid`), as `GET /` and
    /// the health route name it.
    public let replica: String
    /// Reads sources for fileinfo and checksums, with the engine's fetch limits.
    public let inspector: SourceInspector
    /// Fetches a published algorithm's files once at start, for the trust check and the job.
    public let stager: SourceStager
    public let logger: Logger
    /// The node's metrics (its own registry; the engine counts into the same one).
    public let telemetry: NodeTelemetry
    /// Who may see the dashboard and `/metrics`.
    public let operatorAccess: OperatorAccess
    public var metrics: NodeMetrics { telemetry.metrics }

    public init(
        config: NodeConfig,
        providerKey: PrivateKey,
        stores: NodeStores,
        engine: ComputeEngine,
        engineConfiguration: EngineConfiguration,
        logger: Logger = Logger(label: "sluice"),
        now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) },
        ledger: (any Ledger)? = nil,
        chainIndexer: MetadataIndexer? = nil,
        indexerRole: any ExclusiveRole = SoleRole(),
        replica: String = SluiceNode.defaultReplicaName,
        telemetry: NodeTelemetry? = nil,
        operatorToken: OperatorToken? = nil
    ) {
        self.config = config
        self.providerKey = providerKey
        self.providerAddress = providerKey.address
        self.stores = stores
        self.now = now
        let cipher = FileListCipher(key: providerKey, localFileRoots: config.localFileRoots)
        self.fileCipher = cipher
        let embedded = EmbeddedLedger(store: stores.ledger, chainId: config.chainId, files: cipher,
                                      serviceEndpoint: config.baseURL, now: now)
        self.embedded = embedded
        // The embedded ledger unless a chain's is given; its routes stay either way.
        self.ledger = ledger ?? embedded
        self.followsChain = !(self.ledger is EmbeddedLedger)
        self.chainIndexer = chainIndexer
        self.indexerRole = indexerRole
        self.replica = replica
        self.orderVerifier = OrderVerifier(providerAddress: providerKey.address, now: now)
        self.engine = engine
        self.inspector = SourceInspector(configuration: engineConfiguration)
        self.stager = SourceStager(configuration: engineConfiguration)
        self.logger = logger
        self.telemetry = telemetry ?? NodeTelemetry()
        self.operatorAccess = OperatorAccess(token: operatorToken, metricsPublic: config.metricsPublic)
    }

    public static let software = "Sluice"
    public static let version = "0.1.0"
    public static var defaultReplicaName: String { ReplicaName.current }

    /// What the health route answers: this replica, its database, and whether it holds the
    /// chain indexer (nil without a chain).
    public var health: NodeHealth {
        NodeHealth(replica: replica, database: config.database.kind,
                   holdsIndexer: chainIndexer == nil ? nil : indexerRole.isHeld)
    }
}

extension SluiceNode {
    /// Refuses the embedded ledger's routes on a node that follows a chain.
    public func requireEmbeddedLedger() throws(RequestError) {
        guard followsChain else { return }
        throw .conflict("this node follows chain \(config.chainId): publish, mint, transfer, order and read balances on the chain, not through /api/sluice (the sluice CLI does so with --chain <chain config>)")
    }

    /// The order behind a transaction id, from the ledger, marked with the job it already
    /// paid for (the node's own record, whichever ledger holds the payment).
    public func order(_ transactionId: String) async throws -> LedgerOrder? {
        guard var found = try await ledger.order(transactionId) else { return nil }
        found.order.consumedByJob = try await stores.orderUse.jobPaid(by: found.order.transactionId)
        return found
    }
}
