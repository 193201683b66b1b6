import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationEssentialsCompat
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceEngine
import SluicePostgres
@testable import SluiceProvider
import SluiceStore
import SluiceTesting

/// A node on a temporary data directory with a real engine, for router tests.
struct TestNode {
    let node: SluiceNode
    /// The node's database, or (for a node `NodeAssembly` opened on PostgreSQL) a second
    /// store on the same database.
    let store: any NodeDatabaseStore
    let key: PrivateKey
    let clock: TestClock
    let dataDir: URL
    /// Whether `shutdown` removes `dataDir` (not when the test made it, to restart a node on it).
    var removesDataDir = true

    /// The default test environment: free, 2 jobs at once, python and shell runtimes.
    static func environment(id: String = "free-cpu", configure: (inout ComputeEnvironment) -> Void = { _ in }) throws -> ComputeEnvironment {
        var env = ComputeEnvironment(id: id, nCPU: 1, ramGB: 0.5, diskGB: 0.1, maxJobs: 2, maxQueuedJobs: 20,
                                     maxJobDuration: 30, storageExpiry: 3600)
        env.runtimes = try TestRuntimes.all()
        configure(&env)
        return env
    }

    /// `key` and `ledger` make a chain node: the harness's provider key and an `EVMLedger`.
    /// The test file servers listen on loopback, which a node refuses by default.
    static let loopbackAllowed = EgressPolicy(allowNetworks: ["127.0.0.0/8", "::1/128"].compactMap(IPNetwork.init))

    /// `fetch` replaces the config's egress policy: loopback allowed unless a test says otherwise.
    init(config: NodeConfig? = nil, logHandler: (any LogHandler)? = nil, key: PrivateKey? = nil,
         ledger: (any Ledger)? = nil, fetch: EgressPolicy = TestNode.loopbackAllowed,
         resolver: any HostResolver = SystemResolver(), operatorToken: String? = nil) async throws {
        self.key = key ?? PrivateKey.generate()
        clock = TestClock()
        dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-node-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
        var config = try config ?? NodeConfig(environments: [Self.environment()])
        config.dataDir = dataDir.path
        config.localFileRoots.append(dataDir.appendingPathComponent("published").path)
        config.fetch = fetch
        store = try SQLiteStore(path: dataDir.appendingPathComponent(SQLiteStore.fileName).path)
        var logger = Logger(label: "test") { label in logHandler ?? StreamLogHandler.standardError(label: label) }
        logger.logLevel = logHandler == nil ? .warning : .trace
        var engineConfiguration = EngineConfiguration(dataDirectory: dataDir.path, fetchTimeoutSeconds: 5,
                                                      egress: config.fetch, resolver: resolver)
        engineConfiguration.outputPolicy = config.effectiveOutputPolicy
        // The node's own registry, shared with its engine: each test counts only its node's work.
        let telemetry = NodeTelemetry()
        engineConfiguration.metrics = telemetry.metrics
        let engine = ComputeEngine(configuration: engineConfiguration, environments: config.environments, store: store, logger: logger)
        try await engine.start()
        let clock = self.clock
        node = SluiceNode(config: config, providerKey: self.key, stores: NodeStores(store), engine: engine,
                          engineConfiguration: engineConfiguration, logger: logger, now: { clock.now() }, ledger: ledger,
                          telemetry: telemetry, operatorToken: operatorToken.flatMap(OperatorToken.init(token:)))
    }

    /// A node opened by `NodeAssembly`, as `sluice serve` opens one, on the PostgreSQL
    /// database `database` and the data directory `dataDir` (kept at shutdown: the test
    /// owns it, and may start another node on it).
    init(assembledOn database: PostgresURL, dataDir: URL, environments: [ComputeEnvironment]? = nil) async throws {
        clock = TestClock()
        self.dataDir = dataDir
        removesDataDir = false
        var config = NodeConfig(environments: try environments ?? [Self.environment()], database: .postgres(database))
        config.dataDir = dataDir.path
        config.localFileRoots.append(dataDir.appendingPathComponent("published").path)
        config.fetch = Self.loopbackAllowed
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        node = try await NodeAssembly.open(config: config, logger: logger, databaseStartupLimit: PostgresTestServer.startupLimit)
        key = node.providerKey
        store = try await PostgresStore(database: database, password: nil, logger: logger, startupLimit: PostgresTestServer.startupLimit)
    }

    /// Runs `body` against the router, then stops the engine and removes the data directory.
    func test<Value: Sendable>(_ setup: TestingSetup = .router,
                               _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = Application(router: try ProviderApplication.buildRouter(node: node), server: ProviderApplication.server)
        do {
            let value = try await app.test(setup, body)
            await shutdown()
            return value
        } catch {
            await shutdown()
            throw error
        }
    }

    /// Writes a file under the node's published-data root and returns its path.
    func publishedFile(_ name: String, _ contents: String) throws -> String {
        let dir = dataDir.appendingPathComponent("published")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    func shutdown() async {
        await node.engine.shutdown()
        if removesDataDir { try? FileManager.default.removeItem(at: dataDir) }
    }
}

extension TestResponse {
    var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)) }
}
