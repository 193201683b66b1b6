/// `GET /api/services/computeStreamableLogs` (ocean-node's route and parameters): the
/// algorithm log of one of the caller's jobs, streamed while it runs. Signed as
/// ocean-node signs its commands: personal-sign over `consumerAddress + nonce + command`,
/// the command being `getComputeStreamableLogs`.
public struct LiveLogRequest: Codable, Sendable, Equatable {
    public var signed: SignedFields
    public var jobId: String?

    /// ocean-node's name of the command, part of the signed message.
    public static let command = "getComputeStreamableLogs"

    public init(signed: SignedFields, jobId: String?) {
        self.signed = signed
        self.jobId = jobId
    }

    /// What the caller signs (the nonce as sent).
    public static func message(address: String, nonce: Nonce) -> String {
        address + nonce.text + command
    }

    enum CodingKeys: String, CodingKey { case jobId }

    public init(from decoder: any Decoder) throws {
        signed = try SignedFields(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jobId = try c.decodeIfPresent(String.self, forKey: .jobId).flatMap { $0.isEmpty ? nil : $0 }
    }

    public func encode(to encoder: any Encoder) throws {
        try signed.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(jobId, forKey: .jobId)
    }
}
