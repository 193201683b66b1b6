import Crypto
import Foundation
public import Logging
public import SluiceCore
import SluiceCrypto
public import SluiceEVM
import SluiceEngine

/// Opens a node's data directory: creates it on first start, loads or creates the node
/// key, opens and migrates the database (`NodeDatabase`), and starts the compute engine (which resumes
/// the jobs a previous run left).
public enum NodeAssembly {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `databaseStartupLimit`: how long a PostgreSQL database may take to connect and
    /// migrate before the start fails.
    public static func open(config: NodeConfig, logger: Logger, chain: ChainConfig? = nil,
                            databaseStartupLimit: Duration = .seconds(20)) async throws -> SluiceNode {
        let dir = URL(fileURLWithPath: config.dataDir).standardizedFileURL
        do {
            // 0711: the sandbox user may pass through to job workspaces, but list nothing.
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        } catch {
            throw Failure(description: "cannot create data directory \(config.dataDir)")
        }
        let key: PrivateKey
        do {
            key = try NodeKeyFile.loadOrCreate(at: dir.appendingPathComponent(NodeKeyFile.fileName).path)
        } catch {
            throw Failure(description: error.description)
        }
        var operatorToken: OperatorToken? = nil
        if let file = config.operatorTokenFile {
            do {
                operatorToken = try OperatorToken.load(path: file)
            } catch {
                throw Failure(description: error.description)
            }
        }
        let store = try await NodeDatabase.open(config: config, dataDir: dir, logger: logger, startupLimit: databaseStartupLimit)
        let telemetry = NodeTelemetry()

        var engineConfiguration = EngineConfiguration(dataDirectory: dir.path)
        engineConfiguration.workspaceRoot = jobsDirectory(config: config, dataDir: dir, logger: logger)
        if let uids = config.sandboxUids, uids.count == 2 { engineConfiguration.sandboxUIDs = uids[0]...uids[1] }
        if let retries = config.interruptedJobRetries { engineConfiguration.interruptedJobRetries = retries }
        engineConfiguration.egress = config.fetch
        engineConfiguration.outputPolicy = config.effectiveOutputPolicy
        engineConfiguration.receiptKey = key
        engineConfiguration.metrics = telemetry.metrics
        let engine = ComputeEngine(configuration: engineConfiguration, environments: config.environments,
                                   store: store, logger: logger)
        do {
            try await engine.start()
        } catch {
            throw Failure(description: "the compute engine cannot start: \(error)")
        }
        var ledger: (any Ledger)? = nil
        var indexer: MetadataIndexer? = nil
        if let chain {
            (ledger, indexer) = try await EVMChainAssembly.open(chain, nodeChainId: config.chainId, store: store, key: key, logger: logger)
        }
        return SluiceNode(config: config, providerKey: key, stores: NodeStores(store), engine: engine,
                          engineConfiguration: engineConfiguration, logger: logger, ledger: ledger, chainIndexer: indexer,
                          indexerRole: try NodeDatabase.indexerRole(config: config, logger: logger),
                          telemetry: telemetry, operatorToken: operatorToken)
    }

    /// `jobsDir` when configured; else `<sharedDir>/jobs` (`sharedDir` defaults to the data
    /// directory) when the sandbox user can reach it; else (a data directory under a
    /// private home, say) a directory under /var/tmp named after the data directory, so
    /// `sluice serve` works wherever it is started. A configured `sharedDir` is used as it
    /// is: replicas and compute nodes must all see the same one.
    static func jobsDirectory(config: NodeConfig, dataDir: URL, logger: Logger) -> URL {
        if let configured = config.jobsDir { return URL(fileURLWithPath: configured) }
        if let shared = config.sharedDir { return URL(fileURLWithPath: shared).appendingPathComponent("jobs") }
        if getuid() != 0 || isSearchableByOthers(dataDir) { return dataDir.appendingPathComponent("jobs") }
        let tag = Hex.encode(Array(SHA256.hash(data: Array(dataDir.path.utf8))).prefix(8))
        let fallback = URL(fileURLWithPath: "/var/tmp/sluice-jobs-\(tag)")
        logger.notice("the sandbox user cannot reach \(dataDir.path); job workspaces go to \(fallback.path) (set jobsDir to choose)")
        return fallback
    }

    /// Every directory from `/` down to `url` has the others' search bit.
    static func isSearchableByOthers(_ url: URL) -> Bool {
        var path = url.path
        while !path.isEmpty {
            var st = stat()
            if stat(path, &st) == 0, st.st_mode & 0o001 == 0 { return false }
            if path == "/" { break }
            path = (path as NSString).deletingLastPathComponent
        }
        return true
    }
}
