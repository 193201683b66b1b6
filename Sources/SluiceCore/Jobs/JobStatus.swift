import Foundation

/// The status object of contract section 3 without the URL fields (`algorithmLogUrl`,
/// `resultsUrls`), which only the HTTP layer can build. Encodes every field, nulls included;
/// the SDK decodes the node's answers into it (extra fields, such as the URLs, are ignored).
public struct JobStatus: Sendable, Equatable, Codable {
    public var owner: String
    public var documentId: String
    public var jobId: String
    /// Unix seconds as a decimal string.
    public var dateCreated: String
    public var dateFinished: String?
    public var status: Int
    public var statusText: String
    public var resultsDid: String
    public var results: [JobResultFile]
    public var inputDID: [String]
    public var algoDID: String
    public var agreementId: String
    public var environment: String
    public var stopreq: Int
    public var terminationReason: String?
    public var exitCode: Int?
    public var error: String?
    /// Sluice's addition: the SHA-256 and size of every file that entered the job.
    public var fileDigests: [FileDigest]
    /// Sluice's addition: the output checks' policy and per-file decisions (withheld
    /// files with one sentence each); null until the checks ran.
    public var outputChecks: OutputChecks?
    /// Sluice's addition: where a cluster scheduler holds the job (its id, state, why it
    /// waits and its place in the queue); null on backends without one.
    public var scheduler: SchedulerJob?
    /// Sluice's addition: the datasets' owners' review of the outputs (who, until when,
    /// each decision); null when the policy requires none.
    public var review: OwnerReview?
    /// Sluice's addition: the CPU time and peak memory the run used, as its backend
    /// measured them; null until the algorithm ended.
    public var resources: ResourceUsage?

    /// While the owners decide.
    public static let awaitingReviewText = "Awaiting the data owner's review"

    public init(_ record: JobRecord) {
        owner = record.owner
        documentId = record.documentId
        jobId = record.jobId
        dateCreated = Self.decimalSeconds(record.dateCreated)
        dateFinished = record.dateFinished.map(Self.decimalSeconds)
        status = record.status.rawValue
        statusText = record.review?.state == .pending && record.status == .filteringResults
            ? Self.awaitingReviewText : record.status.statusText
        resultsDid = ""
        results = record.results
        inputDID = record.inputDIDs
        algoDID = record.algoDID
        agreementId = record.agreementId
        environment = record.environment
        stopreq = record.stopRequest.rawValue
        terminationReason = record.terminationReason?.rawValue
        exitCode = record.exitCode
        error = record.error
        fileDigests = record.fileDigests ?? []
        outputChecks = record.outputChecks
        scheduler = record.scheduler
        review = record.review
        resources = record.usage
    }

    /// The answer to DELETE: the job as it was, now reported deleted.
    public func deleted() -> JobStatus {
        var copy = self
        copy.status = JobStatusCode.jobDeleted.rawValue
        copy.statusText = JobStatusCode.jobDeleted.statusText
        return copy
    }

    /// The index of the algorithm log in `results`, for `algorithmLogUrl`.
    public var algorithmLogIndex: Int? { results.first { $0.type == .algorithmLog }?.index }

    /// "1732290000.123": what ocean-lib parses with `Decimal(...)`.
    public static func decimalSeconds(_ seconds: Double) -> String {
        String(format: "%.3f", seconds)
    }

    enum CodingKeys: String, CodingKey {
        case owner, documentId, jobId, dateCreated, dateFinished, status, statusText, resultsDid, results
        case inputDID, algoDID, agreementId, environment, stopreq, terminationReason, exitCode, error, fileDigests, outputChecks, scheduler, review, resources
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(owner, forKey: .owner)
        try c.encode(documentId, forKey: .documentId)
        try c.encode(jobId, forKey: .jobId)
        try c.encode(dateCreated, forKey: .dateCreated)
        try c.encode(dateFinished, forKey: .dateFinished)
        try c.encode(status, forKey: .status)
        try c.encode(statusText, forKey: .statusText)
        try c.encode(resultsDid, forKey: .resultsDid)
        try c.encode(results, forKey: .results)
        try c.encode(inputDID, forKey: .inputDID)
        try c.encode(algoDID, forKey: .algoDID)
        try c.encode(agreementId, forKey: .agreementId)
        try c.encode(environment, forKey: .environment)
        try c.encode(stopreq, forKey: .stopreq)
        try c.encode(terminationReason, forKey: .terminationReason)
        try c.encode(exitCode, forKey: .exitCode)
        try c.encode(error, forKey: .error)
        try c.encode(fileDigests, forKey: .fileDigests)
        try c.encode(outputChecks, forKey: .outputChecks)
        try c.encode(scheduler, forKey: .scheduler)
        try c.encode(review, forKey: .review)
        try c.encode(resources, forKey: .resources)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        owner = try c.decode(String.self, forKey: .owner)
        documentId = try c.decodeIfPresent(String.self, forKey: .documentId) ?? ""
        jobId = try c.decode(String.self, forKey: .jobId)
        dateCreated = try c.decodeIfPresent(String.self, forKey: .dateCreated) ?? ""
        dateFinished = try c.decodeIfPresent(String.self, forKey: .dateFinished)
        status = try c.decode(Int.self, forKey: .status)
        statusText = try c.decodeIfPresent(String.self, forKey: .statusText) ?? ""
        resultsDid = try c.decodeIfPresent(String.self, forKey: .resultsDid) ?? ""
        results = try c.decodeIfPresent([JobResultFile].self, forKey: .results) ?? []
        inputDID = try c.decodeIfPresent([String].self, forKey: .inputDID) ?? []
        algoDID = try c.decodeIfPresent(String.self, forKey: .algoDID) ?? ""
        agreementId = try c.decodeIfPresent(String.self, forKey: .agreementId) ?? ""
        environment = try c.decodeIfPresent(String.self, forKey: .environment) ?? ""
        stopreq = try c.decodeIfPresent(Int.self, forKey: .stopreq) ?? 0
        terminationReason = try c.decodeIfPresent(String.self, forKey: .terminationReason)
        exitCode = try c.decodeIfPresent(Int.self, forKey: .exitCode)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        fileDigests = try c.decodeIfPresent([FileDigest].self, forKey: .fileDigests) ?? []
        outputChecks = try c.decodeIfPresent(OutputChecks.self, forKey: .outputChecks)
        scheduler = try c.decodeIfPresent(SchedulerJob.self, forKey: .scheduler)
        review = try c.decodeIfPresent(OwnerReview.self, forKey: .review)
        resources = try c.decodeIfPresent(ResourceUsage.self, forKey: .resources)
    }
}
