public import SluiceCore
import SluiceEngine

/// The data owner's release (`POST /api/services/computeReview`): an owner of a dataset
/// of the job, whose policy requires their review, approves or rejects its results.
public struct ReviewJob: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(_ request: JobReviewRequest) async throws -> JobStatus {
        guard let jobId = request.jobId else { throw RequestError.badRequest("jobId is required", field: "jobId") }
        guard let decision = request.decision else {
            throw RequestError.badRequest("decision is required: approve or reject", field: "decision")
        }
        let reason = request.reason
        if let reason {
            guard reason.utf8.count <= JobReviewRequest.maxReasonBytes else {
                throw RequestError.badRequest("reason must be at most \(JobReviewRequest.maxReasonBytes) bytes", field: "reason")
            }
            guard !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw RequestError.badRequest("reason must be one line of text without control characters", field: "reason")
            }
        }
        let signed = try SignedRequest.verify(request.signed) {
            JobReviewRequest.message(address: $0, jobId: jobId, decision: decision, reason: reason)
        }
        try await node.consumeNonce(of: signed)
        do {
            guard let status = try await node.engine.review(id: jobId, by: signed.signer, verdict: decision, reason: reason) else {
                throw RequestError.notFound("no job \(jobId)", field: "jobId")
            }
            return status
        } catch let refusal as ReviewRefusal {
            switch refusal {
            case .notAReviewer: throw RequestError.forbidden(refusal.description, field: "consumerAddress")
            case .notAwaitingReview, .alreadyDecided, .busy: throw RequestError.conflict(refusal.description, field: "jobId")
            }
        }
    }
}
