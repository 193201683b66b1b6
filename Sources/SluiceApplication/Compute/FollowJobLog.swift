public import SluiceCore
public import SluiceEngine

/// Live logs (`GET /api/services/computeStreamableLogs`): the algorithm log of one of the
/// caller's jobs, followed while the job runs. The HTTP layer streams it.
public struct FollowJobLog: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(_ request: LiveLogRequest) async throws -> LiveLog {
        guard let jobId = request.jobId else { throw RequestError.badRequest("jobId is required", field: "jobId") }
        let signed = try SignedRequest.verify(request.signed, wholeMessage: LiveLogRequest.message)
        try await node.consumeNonce(of: signed)
        _ = try await node.consumersJob(jobId, signer: signed.signer)
        guard let log = try await node.engine.liveLog(of: jobId) else {
            throw RequestError.notFound("no job \(jobId)", field: "jobId")
        }
        return log
    }
}
