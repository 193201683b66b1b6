import SluiceCore
import SluiceEngine

/// Compute stop (`PUT /api/services/compute`): the caller's jobs the request names, each
/// asked to stop; answers the statuses of those that were still there.
public struct StopJobs: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(_ p: RequestParameters) async throws -> [JobStatus] {
        var answer: [JobStatus] = []
        for job in try await QueryJobs(node: node)(p, requireTarget: true) {
            if let stopped = try await node.engine.stop(id: job.jobId) { answer.append(stopped) }
        }
        return answer
    }
}

/// Compute delete (`DELETE /api/services/compute`): the same jobs, removed with their
/// results.
public struct DeleteJobs: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(_ p: RequestParameters) async throws -> [JobStatus] {
        var answer: [JobStatus] = []
        for job in try await QueryJobs(node: node)(p, requireTarget: true) {
            if let deleted = try await node.engine.delete(id: job.jobId) { answer.append(deleted) }
        }
        return answer
    }
}
