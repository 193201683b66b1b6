/// `POST /api/services/computeReview`: a dataset owner's decision on the results of a job
/// awaiting their review. `consumerAddress` is the owner (the signer); the signature is
/// personal-sign over `consumerAddress + jobId + decision + reason` (reason empty when
/// absent) and the nonce.
public struct JobReviewRequest: Codable, Sendable, Equatable {
    public var signed: SignedFields
    public var jobId: String?
    public var decision: ReviewVerdict?
    public var reason: String?

    /// The longest reason, in UTF-8 bytes.
    public static let maxReasonBytes = 1000

    public init(signed: SignedFields, jobId: String?, decision: ReviewVerdict?, reason: String? = nil) {
        self.signed = signed
        self.jobId = jobId
        self.decision = decision
        self.reason = reason
    }

    /// What the reviewer signs, before the nonce.
    public static func message(address: String, jobId: String, decision: ReviewVerdict, reason: String?) -> String {
        address + jobId + decision.rawValue + (reason ?? "")
    }

    enum CodingKeys: String, CodingKey { case jobId, decision, reason }

    public init(from decoder: any Decoder) throws {
        signed = try SignedFields(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jobId = try c.decodeIfPresent(String.self, forKey: .jobId).flatMap { $0.isEmpty ? nil : $0 }
        if let text = try c.decodeIfPresent(String.self, forKey: .decision) {
            guard let verdict = ReviewVerdict(rawValue: text) else {
                throw DecodingError.dataCorruptedError(forKey: .decision, in: c, debugDescription: "decision must be approve or reject")
            }
            decision = verdict
        }
        reason = try c.decodeIfPresent(String.self, forKey: .reason).flatMap { $0.isEmpty ? nil : $0 }
    }

    public func encode(to encoder: any Encoder) throws {
        try signed.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(jobId, forKey: .jobId)
        try c.encodeIfPresent(decision, forKey: .decision)
        try c.encodeIfPresent(reason, forKey: .reason)
    }
}
