import Foundation
import Hummingbird
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceEngine

extension Router {
    func addEnvironmentsRoute(node: SluiceNode) {
        get(RouterPath(Paths.computeEnvironments)) { request, _ in
            // Environments are per chain; a chain this node does not serve has none.
            if let chainId = try ChainIdParameter.read(request), chainId != node.config.chainId {
                return try JSONResponse.encode([EnvironmentListing]())
            }
            let now = String(format: "%.3f", Date().timeIntervalSince1970)
            var answer: [EnvironmentListing] = []
            for env in node.config.environments {
                answer.append(EnvironmentListing(env, currentJobs: await node.engine.currentJobs(environment: env.id),
                                                 provider: node.providerAddress.checksummed, chainId: node.config.chainId, lastSeen: now))
            }
            return try JSONResponse.encode(answer)
        }
    }
}
