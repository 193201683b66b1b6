import Prometheus
import SluiceCore
import SluiceEngine
import SluiceEVM

/// `GET /metrics`: the node's registry in Prometheus' text format, with the gauges that
/// describe now (queues, disk, indexer lag) read at the scrape.
public struct ReadMetrics: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction() async -> [UInt8] {
        let metrics = node.metrics
        for environment in node.config.environments {
            metrics.queue(environment: environment.id, waiting: await node.engine.queuedJobs(environment: environment.id),
                          running: await node.engine.currentJobs(environment: environment.id))
        }
        let storage = await node.engine.storage()
        metrics.diskUsed(kind: "workspaces", bytes: storage.workspaceBytes)
        metrics.diskUsed(kind: "results", bytes: storage.resultBytes)
        if let indexer = node.chainIndexer, let lag = await indexer.lagBlocks {
            metrics.indexerLag(chainId: indexer.chainId, blocks: lag)
        }
        return node.telemetry.registry.emitToBuffer()
    }
}
