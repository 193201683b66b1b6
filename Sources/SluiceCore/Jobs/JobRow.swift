import Foundation

/// A job flattened for a store's table: the columns queries use, and the whole record
/// as JSON. Both stores write and read jobs through it.
public struct JobRow: Sendable {
    public let jobId: String
    public let ownerKey: String
    public let documentId: String
    public let environment: String
    public let status: Int
    public let statusChangedAt: Double
    public let dateCreated: Double
    public let dateFinished: Double?
    public let json: String
    /// Whether storing this state lets go of the job's hold: it ended, or its algorithm
    /// did and only its owner's review is left.
    public let releasesHold: Bool

    public init(_ job: JobRecord) throws {
        guard let owner = job.ownerAddress else { throw JobStoreError.ownerIsNotAnAddress }
        jobId = job.jobId
        ownerKey = owner.lowercased
        documentId = job.documentId
        environment = job.environment
        status = job.status.rawValue
        statusChangedAt = job.statusChangedAt
        dateCreated = job.dateCreated
        dateFinished = job.dateFinished
        json = String(decoding: try JSONEncoder().encode(job), as: UTF8.self)
        releasesHold = job.status.isTerminal || (job.status == .filteringResults && job.review?.state == .pending)
    }

    /// The statuses a job ends in, for queries that count unfinished jobs.
    public static let terminalStatuses = JobStatusCode.allCases.filter(\.isTerminal).map(\.rawValue)

    public static func decode(_ json: String) throws -> JobRecord {
        try JSONDecoder().decode(JobRecord.self, from: Data(json.utf8))
    }
}
