/// What the output checks (status 50) decided for a job: the policy they applied and
/// one decision per output file. Part of the job's record and status.
public struct OutputChecks: Sendable, Equatable, Codable {
    public var policy: EffectiveOutputPolicy
    /// In the outputs' order (sorted by path).
    public var decisions: [OutputDecision]

    public init(policy: EffectiveOutputPolicy, decisions: [OutputDecision]) {
        self.policy = policy
        self.decisions = decisions
    }

    public var withheld: [OutputDecision] { decisions.filter { !$0.released } }
    public var released: [OutputDecision] { decisions.filter(\.released) }

    /// These decisions with every released output withheld by `rule` for `reason`.
    public func withholdingReleased(_ rule: OutputRule, reason: String) -> OutputChecks {
        var out = self
        for i in out.decisions.indices where out.decisions[i].released {
            out.decisions[i].released = false
            out.decisions[i].rule = rule
            out.decisions[i].reason = reason
        }
        return out
    }
}

/// One output file's verdict: released, or withheld by one rule, said in one sentence
/// that never quotes the file's content.
public struct OutputDecision: Sendable, Equatable, Codable {
    /// The path relative to `/data/outputs`.
    public var filename: String
    public var filesize: Int64
    /// As detected from the content; nil when the file could not be read.
    public var detectedType: OutputFileType?
    public var released: Bool
    /// The rule that withheld it; nil when released.
    public var rule: OutputRule?
    /// One sentence: which rule and why; nil when released.
    public var reason: String?

    public init(filename: String, filesize: Int64, detectedType: OutputFileType?, released: Bool,
                rule: OutputRule? = nil, reason: String? = nil) {
        self.filename = filename
        self.filesize = filesize
        self.detectedType = detectedType
        self.released = released
        self.rule = rule
        self.reason = reason
    }

    public static func release(_ filename: String, size: Int64, type: OutputFileType?) -> OutputDecision {
        OutputDecision(filename: filename, filesize: size, detectedType: type, released: true)
    }
}

/// The rule behind a withheld output.
public enum OutputRule: String, Sendable, Codable, CaseIterable {
    case maxFileBytes
    case maxTotalBytes
    case allowedTypes
    /// The name claims a type the content is not (`model.png` holding text).
    case typeMismatch
    case maxRows
    case bannedColumns
    case minCellCount
    case verbatimCopy
    /// The node could not read the file to check it, so it does not release it.
    case unreadable
    /// Past the number of output files the node checks for one job.
    case tooManyFiles
    /// The dataset's owner rejected the results, let the review's deadline pass, or the
    /// job ended before they could review it.
    case ownerReview
}
