import NIOHTTP1
public import SluiceCore

extension NodeClient {
    /// A dataset owner's decision on the results of a job awaiting their review; signs
    /// `consumerAddress + jobId + decision + reason`. Answers the job's status: ended
    /// (released or withheld) once decided, still awaiting while other owners must approve.
    public func review(jobId: String, decision: ReviewVerdict, reason: String? = nil,
                       by wallet: Wallet) async throws(ClientError) -> JobStatus {
        guard !jobId.isEmpty else { throw .invalidInput("A job id is required.") }
        let reason = reason.flatMap { $0.isEmpty ? nil : $0 }
        let nonce = try await nextNonce(for: wallet)
        let message = JobReviewRequest.message(address: wallet.checksummed, jobId: jobId, decision: decision, reason: reason)
        let request = JobReviewRequest(
            signed: SignedFields(consumerAddress: wallet.checksummed, nonce: nonce, signature: wallet.sign(message, nonce: nonce)),
            jobId: jobId, decision: decision, reason: reason)
        let answer = try await http.send(.POST, Paths.computeReview, body: try encodeJSON(request))
        guard let job = try decode([JobStatus].self, answer, what: "job status").first else {
            throw .node(status: 404, message: "the node reports no such job", field: "jobId")
        }
        return job
    }
}
