import Foundation
import Logging
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceEngine
import SluiceLedger
import SluiceStore
import SluiceTesting

/// A node on the fakes: the in-memory store, a scripted ledger and a scripted sandbox
/// backend around the real engine and use cases. No bubblewrap, chain or HTTP.
struct FakeNode {
    static let providerKey = PrivateKey(hex: String(repeating: "11", count: 32))!
    static let consumerKey = PrivateKey(hex: String(repeating: "22", count: 32))!
    static let publisher = PrivateKey(hex: String(repeating: "33", count: 32))!.address
    static let now = 1_800_000_000

    let node: SluiceNode
    let store: InMemoryStore
    let ledger: ScriptedLedger
    let backend: ScriptedBackend
    let environment: ComputeEnvironment
    let directory: URL

    static func make(maxJobs: Int = 1, maxQueuedJobs: Int = 10, backend: ScriptedBackend = ScriptedBackend()) async throws -> FakeNode {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        try Data("x\n1\n".utf8).write(to: directory.appendingPathComponent("data/input.csv"))
        let environment = ComputeEnvironment(id: "free-cpu", maxJobs: maxJobs, maxQueuedJobs: maxQueuedJobs, maxJobDuration: 60)
        var config = NodeConfig(dataDir: directory.path, environments: [environment],
                                localFileRoots: [directory.appendingPathComponent("data").path])
        config.chainId = 8996
        let store = InMemoryStore()
        // The embedded ledger's tables and search are not under test here: SQLite in memory.
        let sqlite = try SQLiteStore.inMemory()
        let stores = NodeStores(nonces: store, jobs: store, assets: store, search: sqlite, orderUse: store, ledger: sqlite)
        var logger = Logger(label: "sluice.unit")
        logger.logLevel = .critical
        let engineConfiguration = EngineConfiguration(dataDirectory: directory.path)
        let engine = ComputeEngine(configuration: engineConfiguration, environments: [environment], store: store,
                                   backends: [backend], logger: logger)
        try await engine.start()
        let ledger = ScriptedLedger()
        let node = SluiceNode(config: config, providerKey: providerKey, stores: stores, engine: engine,
                              engineConfiguration: engineConfiguration, logger: logger, now: { now }, ledger: ledger)
        return FakeNode(node: node, store: store, ledger: ledger, backend: backend, environment: environment, directory: directory)
    }

    func shutDown() async {
        await node.engine.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A dataset whose compute service allows raw algorithms, with one local file.
    func publishDataset(allowRaw: Bool = true, trusted: [TrustedAlgorithm] = []) async throws -> DDO {
        let nft = EthereumAddress("0x" + String(repeating: "a1", count: 20))!
        let datatoken = EthereumAddress("0x" + String(repeating: "b2", count: 20))!
        let plain = JSONValue.object([
            "nftAddress": .string(nft.checksummed), "datatokenAddress": .string(datatoken.checksummed),
            "files": .array([.object(["type": .string("local"), "path": .string(directory.appendingPathComponent("data/input.csv").path)])]),
        ]).compactJSON()
        let files = Hex.encode(try ECIES.encrypt(Array(plain.utf8), to: Self.providerKey.publicKey), prefix: true)
        let service = AssetService(id: "compute", type: .compute, files: files, datatokenAddress: datatoken,
                                   serviceEndpoint: node.config.baseURL, timeout: 3600,
                                   compute: ComputeOptions(allowRawAlgorithm: allowRaw, publisherTrustedAlgorithms: trusted))
        let did = DID("did:op:" + String(repeating: "c3", count: 32))!
        let ddo = DDO(id: did, chainId: 8996, nftAddress: nft,
                      metadata: AssetMetadata(created: "2026-01-01T00:00:00Z", updated: "2026-01-01T00:00:00Z", type: .dataset,
                                              name: "Unit dataset", description: "d", author: "a", license: "MIT"),
                      services: [service],
                      nft: NFTSummary(address: nft.checksummed, name: "N", symbol: "N", owner: Self.publisher.checksummed, created: "2026"),
                      datatokens: [DatatokenSummary(address: datatoken.checksummed, name: "D", symbol: "D", serviceId: "compute")])
        await store.put(ddo)
        return ddo
    }

    /// An order of the dataset's compute service by the consumer, with a fee this node signed.
    func order(_ ddo: DDO, tx: String) async -> String {
        let service = ddo.services[0]
        let fee = ProviderFees.make(environment: environment, datatoken: service.datatokenAddress,
                                    serviceId: service.id, validUntil: Self.now + 600, now: Self.now, key: Self.providerKey)
        let consumer = Self.consumerKey.address
        let order = Order(transactionId: tx, datatoken: service.datatokenAddress, consumer: consumer, payer: consumer,
                          serviceIndex: 0, amount: TokenAmount(wei: 1), providerFee: fee, timestamp: Self.now - 10)
        await ledger.record(LedgerOrder(order: order, original: nil))
        return tx
    }

    /// A signed compute start of a raw algorithm on `ddo`.
    func startRequest(_ ddo: DDO, tx: String, nonce: UInt64, environment: String = "free-cpu") -> ComputeStartRequest {
        let consumer = Self.consumerKey.address.checksummed
        let signature = PersonalSign.sign(message: consumer + ddo.id.text, nonce: Nonce(nonce), key: Self.consumerKey).hex
        let container = RawAlgorithm.Container(entrypoint: "python $ALGO", image: "python", tag: "3.11",
                                               checksum: "sha256:" + String(repeating: "0", count: 64))
        return ComputeStartRequest(
            signed: SignedFields(consumerAddress: consumer, nonce: Nonce(nonce), signature: signature),
            environment: environment,
            dataset: InputReference(documentId: ddo.id.text, serviceId: "compute", transferTxId: tx),
            algorithm: AlgorithmReference(meta: RawAlgorithm(rawcode: "print(1)", container: container)))
    }
}

/// Orders a test recorded, as a ledger would answer them.
actor ScriptedLedger: Ledger {
    private var orders: [String: LedgerOrder] = [:]

    func record(_ order: LedgerOrder) { orders[order.order.transactionId.lowercased()] = order }

    func order(_ transactionId: String) -> LedgerOrder? { orders[transactionId.lowercased()] }
}

func transaction(_ n: Int) -> String { "0x" + String(format: "%064x", n) }
