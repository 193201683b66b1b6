public import SluiceCore
import SluiceEngine

/// Compute stop (`PUT /api/services/compute`): the caller's jobs the request names, each
/// asked to stop; answers the statuses of those that were still there.
public struct StopJobs: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(_ query: JobQuery) async throws -> [JobStatus] {
        try await QueryJobs(node: node).each(query) { try await node.engine.stop(id: $0) }
    }
}

/// Compute delete (`DELETE /api/services/compute`): the same jobs, removed with their
/// results.
public struct DeleteJobs: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(_ query: JobQuery) async throws -> [JobStatus] {
        try await QueryJobs(node: node).each(query) { try await node.engine.delete(id: $0) }
    }
}

extension QueryJobs {
    /// `act` on each job the request names (a target is required), answering what it returns.
    func each(_ query: JobQuery, _ act: (String) async throws -> JobStatus?) async throws -> [JobStatus] {
        var answer: [JobStatus] = []
        for job in try await self(query, requireTarget: true) {
            if let status = try await act(job.jobId) { answer.append(status) }
        }
        return answer
    }
}
