/// One replica's hold of a job: the replica runs it, and the hold lasts until `until`
/// (Unix seconds) unless renewed.
public struct JobHold: Sendable, Equatable {
    public var replica: String
    public var until: Double

    public init(replica: String, until: Double) {
        self.replica = replica
        self.until = until
    }
}

/// An environment's unfinished jobs, across every replica sharing the store.
/// What renewing a replica's holds found.
public struct HoldRenewal: Sendable, Equatable {
    /// Jobs whose stop another replica was asked for.
    public var stopAsked: Set<String>
    /// Jobs another replica holds now: this one's hold ran out (it stalled, or lost the
    /// database) and they were taken over. This replica must let them go at once.
    public var takenOver: Set<String>

    public init(stopAsked: Set<String> = [], takenOver: Set<String> = []) {
        self.stopAsked = stopAsked
        self.takenOver = takenOver
    }
}

public struct ActiveJobs: Sendable, Equatable {
    /// Held by a replica and past status 1.
    public var running: Int
    /// Held by a replica at status 1: just claimed, or waiting in a cluster scheduler.
    public var heldWaiting: Int
    /// At status 1, held by no one: the shared queue.
    public var waiting: Int

    public init(running: Int = 0, heldWaiting: Int = 0, waiting: Int = 0) {
        self.running = running
        self.heldWaiting = heldWaiting
        self.waiting = waiting
    }

    public var total: Int { running + heldWaiting + waiting }
}

/// Where a stop asked of one replica goes.
public enum StopDelivery: Sendable, Equatable {
    /// The job waited, held by no one: it is now held for the asking replica, which ends it.
    case claimed(JobRecord)
    /// Another replica holds it: the stop is stored for that replica, whose next renewal sees it.
    case marked
    /// Finished, awaiting its owner's review, or unknown: nothing runs to stop.
    case nothingRuns
}

/// The job queue every replica sharing a store works from. A job waits at status 1 held
/// by no one; a replica claims it with a hold it renews while the job runs; a hold not
/// renewed in time frees the job for another replica to take over. Storing a job that
/// ends (or awaits its owner's review) releases its hold. Every method is one
/// transaction, atomic across the processes sharing the store.
public protocol JobQueueStore: Sendable {
    /// Holds for `hold.replica` the oldest job of `environment` waiting unheld, when fewer
    /// than `slots` of the environment's unfinished jobs are held, counted across every
    /// replica (a dead replica's jobs hold their slots until taken over). nil when none
    /// waits or no slot is free.
    func claimNext(environment: String, slots: Int, for hold: JobHold) async throws -> JobRecord?

    /// Extends `hold.replica`'s holds of `jobIds` to `hold.until`; says which of them
    /// another replica was asked to stop, and which another replica holds now.
    func renew(_ jobIds: [String], hold: JobHold) async throws -> HoldRenewal

    /// Holds for `hold.replica` a job no one else holds (one awaiting its owner's review,
    /// to store a decision or conclude it): unheld, already held by `hold.replica`, or held
    /// by a replica whose hold ran out before `now`. False when another replica holds it.
    func hold(_ jobId: String, for hold: JobHold, now: Double) async throws -> Bool

    /// Lets go of `replica`'s holds of `jobIds` (requeued at status 1 for any replica).
    func release(_ jobIds: [String], replica: String) async throws

    /// The replicas holding unfinished jobs, live or not.
    func holders() async throws -> Set<String>

    /// Each held unfinished job's hold, live or not.
    func jobHolds() async throws -> [String: JobHold]

    /// Moves to `hold` every unfinished job whose hold (another replica's) expired before
    /// `now`, or whose holder is in `dead` (this replica's own name at its start: an earlier
    /// engine of the name is gone), and every one past status 1 that no one holds (stored by a
    /// version without holds), those awaiting their owner's review aside: each such job
    /// goes to one replica only.
    func takeOver(for hold: JobHold, now: Double, dead: Set<String>) async throws -> [JobRecord]

    /// The environment's unfinished jobs (those awaiting their owner's review aside).
    func activeJobs(environment: String) async throws -> ActiveJobs

    /// A stop asked of `hold.replica` for a job it does not hold (see `StopDelivery`).
    func askStop(jobId: String, hold: JobHold) async throws -> StopDelivery
}
