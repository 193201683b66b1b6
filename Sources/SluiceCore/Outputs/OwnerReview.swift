/// The data owner's release (`outputPolicy.review`): when required, the outputs the
/// checks of status 50 pass stay withheld until the dataset's owner approves them with a
/// signed request, or rejects them; past the deadline they are rejected.
public struct ReviewPolicy: Sendable, Equatable, Codable {
    /// Whether the owner must release the results.
    public var required: Bool?
    /// How long after the checks the owner has to decide.
    public var deadlineSeconds: Int?

    public init(required: Bool? = nil, deadlineSeconds: Int? = nil) {
        self.required = required
        self.deadlineSeconds = deadlineSeconds
    }

    /// One second to one year.
    public static let deadlineRange = 1...31_536_000
    /// Seven days.
    public static let defaultDeadlineSeconds = 604_800

    enum CodingKeys: String, CodingKey, CaseIterable {
        case required, deadlineSeconds
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self, object: "review (it takes required and deadlineSeconds)")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        required = try c.decodeIfPresent(Bool.self, forKey: .required)
        deadlineSeconds = try c.decodeIfPresent(Int.self, forKey: .deadlineSeconds)
        if let seconds = deadlineSeconds, !Self.deadlineRange.contains(seconds) {
            throw DecodingError.dataCorruptedError(
                forKey: .deadlineSeconds, in: c,
                debugDescription: "deadlineSeconds must be between \(Self.deadlineRange.lowerBound) and \(Self.deadlineRange.upperBound)")
        }
    }
}

/// A job's review by its datasets' owners: who must approve, until when, and what each
/// decided. Part of the job's record and of its status object (`review`).
public struct OwnerReview: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        /// Waiting for the owners; the job stays at status 50.
        case pending
        /// Every owner approved: the outputs the checks passed are released.
        case approved
        /// An owner rejected them: they are withheld.
        case rejected
        /// The deadline passed before every owner approved: they are withheld.
        case expired
    }

    public var state: State
    /// EIP-55 addresses of the owners (of the datasets whose policy requires the review)
    /// who must each approve.
    public var reviewers: [String]
    /// Unix seconds after which the outputs are rejected.
    public var deadline: Double
    /// In the order they came.
    public var decisions: [ReviewDecision]

    public init(state: State = .pending, reviewers: [String], deadline: Double, decisions: [ReviewDecision] = []) {
        self.state = state
        self.reviewers = reviewers
        self.deadline = deadline
        self.decisions = decisions
    }

    /// Whether `address` is one of the reviewers.
    public func isReviewer(_ address: EthereumAddress) -> Bool {
        reviewers.contains { EthereumAddress($0) == address }
    }

    /// Whether `address` decided already.
    public func hasDecided(_ address: EthereumAddress) -> Bool {
        decisions.contains { EthereumAddress($0.reviewer) == address }
    }

    /// Adds a decision and moves the state: a rejection ends the review, the last
    /// approval releases.
    public mutating func record(_ decision: ReviewDecision) {
        decisions.append(decision)
        if decision.verdict == .reject {
            state = .rejected
        } else if reviewers.allSatisfy({ r in decisions.contains { EthereumAddress($0.reviewer) == EthereumAddress(r) && $0.verdict == .approve } }) {
            state = .approved
        }
    }

    /// One sentence for the outputs this review withholds (nil when it released them).
    public var withholdingReason: String? {
        switch state {
        case .pending, .approved: return nil
        case .rejected:
            let rejection = decisions.last { $0.verdict == .reject }
            let why = rejection?.reason.map { ": \($0)" } ?? ""
            return "withheld: the dataset's owner \(rejection?.reviewer ?? "") rejected the results\(why)"
        case .expired:
            return "withheld: the dataset's owner did not release the results before the review's deadline"
        }
    }
}

/// Approve or reject.
public enum ReviewVerdict: String, Sendable, Codable, CaseIterable {
    case approve
    case reject
}

/// One owner's decision.
public struct ReviewDecision: Sendable, Equatable, Codable {
    /// The reviewer's EIP-55 address.
    public var reviewer: String
    public var verdict: ReviewVerdict
    public var reason: String?
    /// Unix seconds.
    public var at: Double

    public init(reviewer: String, verdict: ReviewVerdict, reason: String?, at: Double) {
        self.reviewer = reviewer
        self.verdict = verdict
        self.reason = reason
        self.at = at
    }
}

/// How the algorithm's run ended, kept while the outputs wait for the owner's review so
/// the job ends so once it is decided (also after a restart).
public struct HeldEnding: Sendable, Equatable, Codable {
    public var status: JobStatusCode
    public var reason: TerminationReason?
    public var exitCode: Int?
    public var error: String?

    public init(status: JobStatusCode, reason: TerminationReason?, exitCode: Int?, error: String?) {
        self.status = status
        self.reason = reason
        self.exitCode = exitCode
        self.error = error
    }
}
