/// A job as a cluster scheduler (Slurm) holds it: stored with the job, so the status
/// object says where it waits and why, and a restarted node follows it again.
public struct SchedulerJob: Sendable, Equatable, Codable {
    /// The scheduler's name for the backend (`slurm`).
    public var scheduler: String
    /// The scheduler's own id of the job.
    public var id: String
    /// The scheduler's state as it said it last (`PENDING`, `RUNNING`, ...).
    public var state: String
    /// Why the job waits (Slurm's `state_reason`), while it waits.
    public var reason: String?
    /// 1 for the next job of its partition to run, while it waits.
    public var queuePosition: Int?
    /// Unix seconds when the scheduler started running it (its wall time counts from there).
    public var startedAt: Double?

    public init(scheduler: String, id: String, state: String, reason: String? = nil,
                queuePosition: Int? = nil, startedAt: Double? = nil) {
        self.scheduler = scheduler
        self.id = id
        self.state = state
        self.reason = reason
        self.queuePosition = queuePosition
        self.startedAt = startedAt
    }
}
