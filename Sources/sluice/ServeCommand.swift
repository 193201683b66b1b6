import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceEVM
import SluiceProvider

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a Sluice node.",
        discussion: """
            The node keeps its key, database and job workspaces in the data directory,
            creating them on first start. A config file (JSON) declares the compute
            environments, the listen address and the chain id; flags override it.

            Example:
              sluice serve --data-dir ./.sluice --port 8030 --config sluice.json
            """
    )

    @Option(name: .long, help: "Config file (JSON). See README, Configuration.")
    var config: String?

    @Option(name: .long, help: "Data directory (default ./.sluice).")
    var dataDir: String?

    @Option(name: .long, help: "Port to listen on (default 8030; 0 picks a free one).")
    var port: Int?

    @Option(name: .long, help: "Address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Chain id the node serves (default 8996).")
    var chainId: Int?

    @Option(name: .long, help: "Chain config (JSON): verify orders on that EVM chain and index its assets. See README, Pointing Sluice at a chain.")
    var chain: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(name: .long, help: "Log format: text (for people, the default) or json (one object a line, with requestId and jobId).")
    var logFormat: LogFormat = .text

    /// For `make bench` only: the same node without its HTTP metrics, to show their cost.
    @Flag(name: .long, help: .hidden)
    var noHttpMetrics = false

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        let format = logFormat
        LoggingSystem.bootstrap { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let logger = Logger(label: "sluice")

        var loaded = try loadConfig()
        let chainConfig = try loadChain()
        // The chain config names the chain unless --chain-id does.
        if let chainConfig, chainId == nil { loaded.chainId = chainConfig.chainId }
        let nodeConfig = loaded
        let node: SluiceNode
        do {
            node = try await NodeAssembly.open(config: nodeConfig, logger: logger, chain: chainConfig)
        } catch let error as NodeAssembly.Failure {
            throw ValidationError(error.description)
        }
        logger.notice("Sluice \(SluiceNode.version) provider \(node.providerAddress.checksummed) chain \(nodeConfig.chainId) data \(nodeConfig.dataDir)")
        var services: [any Service] = [EngineService(engine: node.engine)]
        if let indexer = node.chainIndexer { services.append(ChainIndexerService(indexer: indexer, role: node.indexerRole)) }
        let app = try ProviderApplication.build(node: node, services: services, httpMetrics: !noHttpMetrics) { channel in
            let port = channel.localAddress?.port ?? nodeConfig.port
            logger.notice("listening on http://\(nodeConfig.host):\(port)")
        }
        try await app.runService()
        logger.notice("stopped")
    }

    private func loadChain() throws -> ChainConfig? {
        guard let chain else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: chain))
        } catch {
            throw ValidationError("cannot read chain config file \(chain)")
        }
        do {
            return try ChainConfig.parse(Array(data))
        } catch {
            throw ValidationError("\(chain): \(error.description)")
        }
    }

    private func loadConfig() throws -> NodeConfig {
        var result = NodeConfig()
        if let config {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: config))
            } catch {
                throw ValidationError("cannot read config file \(config)")
            }
            do {
                result = try JSONDecoder().decode(NodeConfig.self, from: data)
            } catch let error as DecodingError {
                throw ValidationError("config file \(config) is not valid: \(error.sentence)")
            }
        }
        if let dataDir { result.dataDir = dataDir }
        if let port { result.port = port }
        if let host { result.host = host }
        if let chainId { result.chainId = chainId }
        let problems = result.problems()
        if !problems.isEmpty {
            throw ValidationError("the configuration has problems:\n  " + problems.joined(separator: "\n  "))
        }
        return result
    }
}
