public import SluiceCore
public import SluiceEngine

/// Result download (`GET /api/services/computeResult`): the one result file the request
/// names, opened, once the request is signed by the job's owner over
/// `consumerAddress + jobId + index`. The HTTP layer streams it.
public struct DownloadResult: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(_ request: ResultRequest) async throws -> OpenedResult {
        guard let jobId = request.jobId else { throw RequestError.badRequest("jobId is required", field: "jobId") }
        guard let indexText = request.index, !indexText.isEmpty, indexText.allSatisfy(\.isNumber), let index = Int(indexText) else {
            throw RequestError.badRequest("index must be a whole number", field: "index")
        }
        let signed = try node.verify(request.signed) { $0 + jobId + indexText }
        try await node.consumeNonce(of: signed)
        let job = try await node.consumersJob(jobId, signer: signed.signer)
        guard let opened = try await node.engine.openResult(jobId: jobId, index: index) else {
            if JobStatusCode(rawValue: job.status)?.isTerminal != true {
                throw RequestError.notFound("job \(jobId) has no results yet: it is \(job.statusText.lowercased())", field: "index")
            }
            throw RequestError.notFound("job \(jobId) has no result \(index); it has \(job.results.count)", field: "index")
        }
        return opened
    }
}
