/// Which jobs an operator's listing shows: every field set narrows it. Owners compare
/// case-insensitively; times are Unix seconds of `dateCreated`, `from` inclusive and
/// `until` exclusive. Newest first, at most `limit`.
public struct JobFilter: Sendable, Equatable {
    public var status: JobStatusCode?
    public var owner: EthereumAddress?
    public var documentId: String?
    public var createdFrom: Double?
    public var createdUntil: Double?
    public var limit: Int

    public init(status: JobStatusCode? = nil, owner: EthereumAddress? = nil, documentId: String? = nil,
                createdFrom: Double? = nil, createdUntil: Double? = nil, limit: Int = 200) {
        self.status = status
        self.owner = owner
        self.documentId = documentId
        self.createdFrom = createdFrom
        self.createdUntil = createdUntil
        self.limit = limit
    }

    /// The one rule every store's query follows, for stores that filter in memory.
    public func matches(_ job: JobRecord) -> Bool {
        (status.map { job.status == $0 } ?? true)
            && (owner.map { job.ownerAddress == $0 } ?? true)
            && (documentId.map { job.documentId == $0 } ?? true)
            && (createdFrom.map { job.dateCreated >= $0 } ?? true)
            && (createdUntil.map { job.dateCreated < $0 } ?? true)
    }
}
