import Foundation
public import SluiceCore
import SluiceEngine

/// The compute environments (`GET /api/services/computeEnvironments`), each with the
/// jobs running in it now. Environments are per chain: a chain this node does not serve
/// has none.
public struct ListEnvironments: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(chainId: Int?) async -> [EnvironmentListing] {
        if let chainId, chainId != node.config.chainId { return [] }
        let now = String(format: "%.3f", Date().timeIntervalSince1970)
        var answer: [EnvironmentListing] = []
        for env in node.config.environments {
            answer.append(EnvironmentListing(env, currentJobs: await node.engine.currentJobs(environment: env.id),
                                             provider: node.providerAddress.checksummed, chainId: node.config.chainId, lastSeen: now))
        }
        return answer
    }
}
