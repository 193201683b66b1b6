import Foundation
import Hummingbird
import SluiceCore
import SluiceCrypto

/// One entry of `GET /api/services/computeEnvironments` (contract section 4).
struct EnvironmentDescription: Encodable {
    let id: String
    let desc: String
    let cpuType: String
    let nCPU: Double
    let gpuType: String
    let nGPU: Int
    let ramGB: Double
    let diskGB: Double
    let priceMin: Double
    let currentJobs: Int
    let maxJobs: Int
    let maxJobDuration: Int
    let storageExpiry: Int
    let consumerAddress: String
    let feeToken: String
    let free: Bool
    let lastSeen: String
    let chainId: Int
}

extension Router {
    func addEnvironmentsRoute(node: SluiceNode) {
        get(RouterPath(Paths.computeEnvironments)) { request, _ in
            // Environments are per chain; a chain this node does not serve has none.
            if let chainId = try ChainIdParameter.read(request), chainId != node.config.chainId {
                return try JSONResponse.encode([EnvironmentDescription]())
            }
            let now = String(format: "%.3f", Date().timeIntervalSince1970)
            let provider = node.providerAddress.checksummed
            var answer: [EnvironmentDescription] = []
            for env in node.config.environments {
                answer.append(EnvironmentDescription(
                    id: env.id, desc: env.description, cpuType: env.cpuType, nCPU: env.nCPU,
                    gpuType: env.gpuType, nGPU: env.nGPU, ramGB: env.ramGB, diskGB: env.diskGB,
                    priceMin: env.priceMin, currentJobs: await node.engine.currentJobs(environment: env.id), maxJobs: env.maxJobs,
                    maxJobDuration: env.maxJobDuration, storageExpiry: env.storageExpiry,
                    consumerAddress: provider, feeToken: env.feeToken, free: env.isFree, lastSeen: now,
                    chainId: node.config.chainId))
            }
            return try JSONResponse.encode(answer)
        }
    }
}
