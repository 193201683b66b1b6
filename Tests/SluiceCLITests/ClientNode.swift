import Foundation
import SluiceClient
import SluiceCore
import SluiceCrypto
import SluiceEVM
import SluiceTesting

/// A spawned `sluice serve` with a free environment (python and shell runtimes) and a
/// local file root, plus Alice and Bob, for the SDK's and the CLI's tests.
struct ClientNode {
    let process: NodeProcess
    let dir: URL
    let client: NodeClient
    var alice = Wallet.create()
    var bob = Wallet.create()
    /// `serve`'s arguments, for a restart on the same data directory.
    var arguments: [String] = []
    var ledger: any AssetLedger = NodeLedger()

    var url: String { "http://127.0.0.1:\(process.port)" }
    var dataRoot: URL { dir.appendingPathComponent("published") }

    static let countRows = """
        import json, os
        dids = json.loads(os.environ["DIDS"])
        rows = open("/data/inputs/" + dids[0] + "/0").read().splitlines()
        os.makedirs("/data/outputs/sub", exist_ok=True)
        with open("/data/outputs/sub/result.txt", "w") as out:
            out.write("rows=%d" % len(rows))
        print("counted", len(rows), "rows")
        """

    static let failing = """
        import sys
        print("about to fail")
        sys.exit(3)
        """

    /// - Parameters:
    ///   - chain: a chain config: the node runs with `--chain` and the client signs on that chain.
    ///   - providerKey: the node's key, written to its data directory before it starts.
    ///   - configure: changes the node's config (its keys as in the README) before it starts.
    static func start(chain: JSONValue? = nil, providerKey: PrivateKey? = nil,
                      configure: (inout [String: JSONValue]) -> Void = { _ in }) async throws -> ClientNode {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-client-\(UUID().uuidString)")
        let root = dir.appendingPathComponent("published")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let dataDir = dir.appendingPathComponent("data")
        if let providerKey {
            try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
            let keyFile = dataDir.appendingPathComponent(NodeKeyFile.fileName)
            try Data((Hex.encode(providerKey.secretBytes) + "\n").utf8).write(to: keyFile)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile.path)
        }
        let runtimes = try TestRuntimes.all()
        var config: [String: JSONValue] = [
            "localFileRoots": .array([.string(root.path)]),
            "environments": .array([.object([
                "id": .string("free-cpu"), "ramGB": .number(0.5), "maxJobDuration": .integer(60),
                "runtimes": .object(runtimes.mapValues { .string($0) }),
            ])]),
        ]
        configure(&config)
        let configFile = dir.appendingPathComponent("sluice.json")
        try Data(JSONValue.object(config).compactJSON().utf8).write(to: configFile)
        var arguments = ["--data-dir", dataDir.path, "--config", configFile.path]
        var ledger: any AssetLedger = NodeLedger()
        if let chain {
            let chainFile = dir.appendingPathComponent("chain.json")
            try Data(chain.compactJSON().utf8).write(to: chainFile)
            arguments += ["--chain", chainFile.path]
            ledger = ChainLedger(config: try ChainConfig.parse(Array(chain.compactJSON().utf8)))
        }
        let process = try await NodeProcess(arguments: arguments)
        return ClientNode(process: process, dir: dir, client: try NodeClient(nodeURL: "http://127.0.0.1:\(process.port)", ledger: ledger),
                          arguments: arguments, ledger: ledger)
    }

    /// A new `sluice serve` on this node's data directory and config (a new port), with
    /// the same Alice and Bob. The old process must be gone.
    func restarted() async throws -> ClientNode {
        let process = try await NodeProcess(arguments: arguments)
        return ClientNode(process: process, dir: dir, client: try NodeClient(nodeURL: "http://127.0.0.1:\(process.port)", ledger: ledger),
                          alice: alice, bob: bob, arguments: arguments, ledger: ledger)
    }

    func file(_ name: String, _ contents: String) throws -> String {
        let url = dataRoot.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    /// Steps 1 to 3 of the seed: Alice's dataset and algorithm, the algorithm trusted.
    func publish(algorithm code: String = countRows, container: AlgorithmContainer? = nil) async throws -> (dataset: DDO, algorithm: DDO) {
        let csv = try file("data-\(UUID().uuidString).csv", "x,y\n1,2\n3,4\n5,6\n")
        let algo = try file("algo-\(UUID().uuidString).py", code)
        let dataset = try await client.publishDataset(.path(csv), AssetDescription(name: "rows", author: "Alice"), by: alice)
        let container = container ?? AlgorithmContainer(image: "python", tag: "3.11", entrypoint: "python $ALGO",
                                                        checksum: "sha256:" + String(repeating: "ab", count: 32))
        let algorithm = try await client.publishAlgorithm(.path(algo), AssetDescription(name: "count", author: "Alice"),
                                                          container: container, by: alice)
        let trusted = try await client.trust(algorithm: algorithm.id.text, on: dataset.id.text, by: alice)
        return (trusted, algorithm)
    }

    /// Step 4: Alice mints `tokens` of each to Bob.
    func fund(_ assets: (dataset: DDO, algorithm: DDO), tokens: UInt64 = 5) async throws {
        for ddo in [assets.dataset, assets.algorithm] {
            _ = try await client.mint(datatoken: try ddo.datatoken().address.checksummed, to: bob.checksummed,
                                      amount: TokenAmount.tokens(tokens) ?? .zero, by: alice)
        }
    }

    func stop() {
        _ = process.stop()
        try? FileManager.default.removeItem(at: dir)
    }
}
