import Foundation
import Logging
public import SluiceCore

/// Why the engine refuses an owner's decision on a job.
public enum ReviewRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The job is not waiting for a review (none was required, or it is decided).
    case notAwaitingReview(jobId: String)
    /// The signer is not the owner of a dataset whose policy requires the review.
    case notAReviewer(jobId: String)
    case alreadyDecided(jobId: String)
    /// Another decision on the job is being stored (here or on another replica).
    case busy(jobId: String)

    public var description: String {
        switch self {
        case .notAwaitingReview(let id): return "job \(id) is not waiting for its data owner's review"
        case .notAReviewer(let id): return "only the owners of the datasets of job \(id) that require a review may decide on its results"
        case .alreadyDecided(let id): return "you have already decided on the results of job \(id)"
        case .busy(let id): return "another decision on the results of job \(id) is being stored; send yours again"
        }
    }
}

extension JobEnding {
    init(_ held: HeldEnding) {
        self.init(status: held.status, reason: held.reason, exitCode: held.exitCode, error: held.error)
    }

    var held: HeldEnding { HeldEnding(status: status, reason: reason, exitCode: exitCode, error: error) }
}

extension ComputeEngine {
    /// Who must approve a job's results: the owners of its datasets whose policy (the
    /// node's, overridden by the dataset's) requires a review. Empty: none is required.
    nonisolated func reviewers(of specification: JobSpecification) -> [String] {
        let owners = specification.inputs
            .filter { configuration.outputPolicy.overridden(by: $0.outputPolicy).reviewDeadlineSeconds != nil }
            .map { $0.owner.flatMap(EthereumAddress.init)?.checksummed ?? "" }
        var seen = Set<String>()
        return owners.filter { seen.insert($0).inserted }
    }

    /// Keeps a job whose algorithm ran to its end at status 50 until its datasets' owners
    /// decide, when its policy requires that and the checks passed any output: frees its
    /// slot and sandbox user and stores the pending review. False when no review is
    /// needed (or the job is being stopped or the node shuts down): publish as usual.
    func holdForReview(_ id: String, ending: JobEnding, checks: OutputChecks) async -> Bool {
        guard var job = live[id], job.interruption == nil, let specification = job.record.specification,
              let seconds = checks.policy.reviewDeadlineSeconds, !checks.released.isEmpty else { return false }
        let reviewers = reviewers(of: specification)
        let deadline = Self.now() + Double(seconds)
        job.record.outputChecks = checks
        job.record.review = OwnerReview(reviewers: reviewers, deadline: deadline)
        job.record.heldEnding = ending.held
        live[id] = job
        do {
            try await persist(job.record)
        } catch {
            logger.error("cannot store a job awaiting review", metadata: ["jobId": "\(id)", "error": "\(error)"])
        }
        guard var held = live[id], held.interruption == nil else {
            live[id]?.record.review = nil
            live[id]?.record.heldEnding = nil
            return false
        }
        live[id] = nil
        if let user = held.sandboxUser { sandboxUsers.release(user) }
        held.sandboxUser = nil
        logger.info("job awaits its data owner's review", metadata: ["jobId": "\(id)"])
        // Those waiting for the job (the SDK's wait polls) see it awaiting.
        for waiter in finishWaiters.removeValue(forKey: id) ?? [] { waiter.resume() }
        claimSoon(from: held.record.environment)
        return true
    }

    /// Records a dataset owner's decision on a job awaiting review; the last approval
    /// releases the outputs, a rejection withholds them, and the job ends. Any replica
    /// decides: the decision is stored under a hold on the job, so two decisions (here or
    /// on two replicas) never overwrite each other. Returns its status; nil for an
    /// unknown job. Throws `ReviewRefusal`.
    public func review(id: String, by reviewer: EthereumAddress, verdict: ReviewVerdict, reason: String?) async throws -> JobStatus? {
        guard let record = try await record(id: id) else { return nil }
        try Self.checkDecision(record, by: reviewer)
        // Taken before any await: a concurrent decision or the deadline sweep of this
        // replica waits its turn; other replicas are kept out by the hold.
        guard deciding.insert(id).inserted else { throw ReviewRefusal.busy(jobId: id) }
        defer { deciding.remove(id) }
        guard try await store.hold(id, for: hold(), now: Self.now()) else { throw ReviewRefusal.busy(jobId: id) }
        do {
            // Read again under the hold: another replica may have stored a decision since.
            guard var decided = try await store.job(id: id) else { return nil }
            try Self.checkDecision(decided, by: reviewer)
            decided.review?.record(ReviewDecision(reviewer: reviewer.checksummed, verdict: verdict, reason: reason, at: Self.now()))
            logger.info("data owner decided on a job's results", metadata: ["jobId": "\(id)", "verdict": "\(verdict.rawValue)"])
            if decided.review?.state == .pending {
                // Storing a job that still awaits its review lets go of the hold.
                try await store.update(decided)
                return JobStatus(decided)
            }
            await conclude(decided)
            return try await job(id: id)
        } catch {
            try? await store.release([id], replica: configuration.replica)
            throw error
        }
    }

    /// Whether `reviewer` may decide on the job now.
    static func checkDecision(_ record: JobRecord, by reviewer: EthereumAddress) throws {
        let id = record.jobId
        guard let review = record.review else { throw ReviewRefusal.notAwaitingReview(jobId: id) }
        guard review.isReviewer(reviewer) else { throw ReviewRefusal.notAReviewer(jobId: id) }
        guard !review.hasDecided(reviewer) else { throw ReviewRefusal.alreadyDecided(jobId: id) }
        guard review.state == .pending, record.awaitsReview else { throw ReviewRefusal.notAwaitingReview(jobId: id) }
    }

    /// Rejects the results of jobs whose review's deadline passed, on whichever replica
    /// sweeps first (the hold decides). Returns how many this sweep concluded.
    @discardableResult
    public func sweepReviews(now: Double? = nil) async -> Int {
        let now = now ?? Self.now()
        let due: [JobRecord]
        do {
            due = try await store.unfinishedJobs().filter { $0.awaitsReview && ($0.review.map { $0.state == .pending && $0.deadline <= now } ?? false) }
        } catch {
            logger.error("cannot read the jobs awaiting review", metadata: ["error": "\(error)"])
            return 0
        }
        var expired = 0
        for candidate in due where deciding.insert(candidate.jobId).inserted {
            let id = candidate.jobId
            defer { deciding.remove(id) }
            do {
                guard try await store.hold(id, for: hold(), now: Self.now()) else { continue }
                guard var record = try await store.job(id: id), record.review?.state == .pending else {
                    try? await store.release([id], replica: configuration.replica)
                    continue
                }
                record.review?.state = .expired
                await conclude(record)
                expired += 1
                logger.notice("a job's review passed its deadline; its outputs are withheld", metadata: ["jobId": "\(id)"])
            } catch {
                try? await store.release([id], replica: configuration.replica)
                logger.error("cannot conclude a job whose review's deadline passed", metadata: ["jobId": "\(id)", "error": "\(error)"])
            }
        }
        return expired
    }

    /// Ends a job whose review is decided: its outputs released or withheld by the
    /// review, the receipt written with the decisions.
    func conclude(_ record: JobRecord) async {
        var record = record
        let id = record.jobId
        let ending = record.heldEnding.map(JobEnding.init) ?? JobEnding(status: .jobFinished, reason: .completed, exitCode: 0)
        var checks = record.outputChecks ?? OutputChecks(policy: configuration.outputPolicy, decisions: [])
        if let reason = record.review?.withholdingReason { checks = checks.withholdingReleased(.ownerReview, reason: reason) }
        record.heldEnding = nil
        // Held while it is concluded, as any job past status 1 that a replica works on
        // (the decision or the sweep took the hold already).
        do {
            guard try await store.hold(id, for: hold(), now: Self.now()) else {
                logger.warning("another replica concludes a job's review", metadata: ["jobId": "\(id)"])
                return
            }
        } catch {
            logger.error("cannot hold a job to conclude its review", metadata: ["jobId": "\(id)", "error": "\(error)"])
            return
        }
        live[id] = LiveJob(record: record)
        try? await advance(id, to: .publishingResults)
        let checked = await publish(workspace(of: id), ending: ending, checks: checks)
        await finish(id, checked.ending, results: checked.results, checks: checked.checks, outputDigests: checked.outputDigests)
    }
}
