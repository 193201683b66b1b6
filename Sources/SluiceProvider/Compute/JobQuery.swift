import SluiceCore

/// Status, stop and delete share their parameters and checks: a signature over
/// `consumerAddress + jobId + documentId`, and only the caller's own jobs.
struct JobQuery {
    let node: SluiceNode

    /// The caller's jobs the request names: the one `jobId`, or all of `documentId`'s,
    /// or all of them, newest first.
    func jobs(_ p: RequestParameters, requireTarget: Bool) async throws -> [JobStatus] {
        let jobId = try p.optionalString("jobId")
        let documentId = try p.optionalString("documentId")
        let signed = try SignedRequest.verify(p) { $0 + (jobId ?? "") + (documentId ?? "") }
        if requireTarget && jobId == nil && documentId == nil {
            throw RequestError.badRequest("jobId or documentId is required", field: "jobId")
        }
        try await node.consumeNonce(of: signed)
        if let jobId {
            guard let job = try await node.engine.job(id: jobId) else {
                throw RequestError.notFound("no job \(jobId)", field: "jobId")
            }
            guard EthereumAddress(job.owner) == signed.signer else {
                throw RequestError.forbidden("job \(jobId) belongs to another consumer", field: "jobId")
            }
            if let documentId, documentId != job.documentId {
                throw RequestError.notFound("job \(jobId) is not a job of \(documentId)", field: "documentId")
            }
            return [job]
        }
        return try await node.engine.jobs(owner: signed.signer, documentId: documentId)
    }
}
