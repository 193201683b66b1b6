public import SluiceCore
import SluiceEngine

/// Status, stop and delete share their parameters and checks: a signature over
/// `consumerAddress + jobId + documentId`, and only the caller's own jobs.
public struct QueryJobs: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    /// The caller's jobs the request names: the one `jobId`, or all of `documentId`'s,
    /// or all of them, newest first.
    public func callAsFunction(_ query: JobQuery, requireTarget: Bool) async throws -> [JobStatus] {
        let (jobId, documentId) = (query.jobId, query.documentId)
        let signed = try node.verify(query.signed) { $0 + (jobId ?? "") + (documentId ?? "") }
        if requireTarget && jobId == nil && documentId == nil {
            throw RequestError.badRequest("jobId or documentId is required", field: "jobId")
        }
        guard let jobId else {
            // One database round trip: the nonce and the listing in one transaction (a
            // stale nonce is the store's error, answered 401 by the error middleware).
            let stored = try await node.stores.jobs.jobs(owner: signed.signer, documentId: documentId, authorizedBy: signed.nonce)
            return await node.engine.statuses(of: stored)
        }
        try await node.consumeNonce(of: signed)
        let job = try await node.consumersJob(jobId, signer: signed.signer)
        if let documentId, documentId != job.documentId {
            throw RequestError.notFound("job \(jobId) is not a job of \(documentId)", field: "documentId")
        }
        return [job]
    }
}

extension SluiceNode {
    /// The job `jobId` when `signer` is its consumer: 404 for an unknown job, 403 for
    /// another consumer's.
    func consumersJob(_ jobId: String, signer: EthereumAddress) async throws -> JobStatus {
        guard let job = try await engine.job(id: jobId) else {
            throw RequestError.notFound("no job \(jobId)", field: "jobId")
        }
        guard EthereumAddress(job.owner) == signer else {
            throw RequestError.forbidden("job \(jobId) belongs to another consumer", field: "jobId")
        }
        return job
    }
}
