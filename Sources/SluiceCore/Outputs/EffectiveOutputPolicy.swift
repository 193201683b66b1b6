/// The output rules one job runs under: the built-in defaults, overridden by the node's
/// config, overridden per dataset by its owner; then, across the job's datasets, the
/// strictest of each rule (`strictest(_:)`).
public struct EffectiveOutputPolicy: Sendable, Equatable, Codable {
    /// nil: no limit.
    public var maxFileBytes: Int64?
    /// nil: no limit.
    public var maxTotalBytes: Int64?
    /// nil: every type; otherwise sorted.
    public var allowedTypes: [OutputFileType]?
    /// nil: no limit.
    public var maxRows: Int?
    /// Lowercased, sorted.
    public var bannedColumns: [String]
    /// Lowercased, sorted.
    public var frequencyColumns: [String]
    /// 0: off.
    public var minCellCount: Int
    /// K; nil: the verbatim check is off.
    public var verbatimWindowBytes: Int?
    /// Seconds the datasets' owners have to release the results; nil: no review.
    public var reviewDeadlineSeconds: Int?

    public init(maxFileBytes: Int64? = nil, maxTotalBytes: Int64? = nil, allowedTypes: [OutputFileType]? = nil,
                maxRows: Int? = nil, bannedColumns: [String] = [], frequencyColumns: [String] = [],
                minCellCount: Int = 0, verbatimWindowBytes: Int? = nil, reviewDeadlineSeconds: Int? = nil) {
        self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes
        self.allowedTypes = allowedTypes.map { Array(Set($0)).sorted() }
        self.maxRows = maxRows
        self.bannedColumns = Self.normalized(bannedColumns)
        self.frequencyColumns = Self.normalized(frequencyColumns)
        self.minCellCount = minCellCount
        self.verbatimWindowBytes = verbatimWindowBytes
        self.reviewDeadlineSeconds = reviewDeadlineSeconds
    }

    /// ACRO's threshold for frequency tables.
    public static let defaultMinCellCount = 10
    /// K of the verbatim check.
    public static let defaultWindowBytes = 64
    public static let defaultFrequencyColumns = ["count", "n", "frequency", "freq"]

    /// No caps and every type; frequency tables need 10 per cell; the verbatim check is
    /// on with K = 64.
    public static let builtIn = EffectiveOutputPolicy(
        frequencyColumns: defaultFrequencyColumns, minCellCount: defaultMinCellCount,
        verbatimWindowBytes: defaultWindowBytes)

    /// This policy with the keys `policy` sets replaced by its values.
    public func overridden(by policy: OutputPolicy?) -> EffectiveOutputPolicy {
        guard let policy else { return self }
        var out = self
        if let v = policy.maxFileBytes { out.maxFileBytes = v }
        if let v = policy.maxTotalBytes { out.maxTotalBytes = v }
        if let v = policy.allowedTypes { out.allowedTypes = Array(Set(v)).sorted() }
        if let v = policy.maxRows { out.maxRows = v }
        if let v = policy.bannedColumns { out.bannedColumns = Self.normalized(v) }
        if let v = policy.frequencyColumns { out.frequencyColumns = Self.normalized(v) }
        if let v = policy.minCellCount { out.minCellCount = v }
        switch (policy.verbatimCheck, policy.verbatimWindowBytes) {
        case (false?, _): out.verbatimWindowBytes = nil
        case (true?, let k): out.verbatimWindowBytes = k ?? out.verbatimWindowBytes ?? Self.defaultWindowBytes
        case (nil, let k?): out.verbatimWindowBytes = out.verbatimWindowBytes == nil ? nil : k
        case (nil, nil): break
        }
        switch (policy.review?.required, policy.review?.deadlineSeconds) {
        case (false?, _): out.reviewDeadlineSeconds = nil
        case (true?, let s): out.reviewDeadlineSeconds = s ?? out.reviewDeadlineSeconds ?? ReviewPolicy.defaultDeadlineSeconds
        case (nil, let s?): out.reviewDeadlineSeconds = out.reviewDeadlineSeconds == nil ? nil : s
        case (nil, nil): break
        }
        return out
    }

    /// Each rule at its strictest among `policies` (one per dataset of a job): the
    /// smallest caps, the types all allow, every banned and frequency column, the highest
    /// cell minimum, the verbatim check on with the smallest K if any has it on, and the
    /// owner's review required, with the shortest deadline, if any requires it.
    /// `builtIn` overridden by nothing when `policies` is empty.
    public static func strictest(_ policies: [EffectiveOutputPolicy]) -> EffectiveOutputPolicy {
        guard var out = policies.first else { return .builtIn }
        for p in policies.dropFirst() {
            out.maxFileBytes = smallest(out.maxFileBytes, p.maxFileBytes)
            out.maxTotalBytes = smallest(out.maxTotalBytes, p.maxTotalBytes)
            out.maxRows = smallest(out.maxRows, p.maxRows)
            out.allowedTypes = common(out.allowedTypes, p.allowedTypes)
            out.bannedColumns = Array(Set(out.bannedColumns).union(p.bannedColumns)).sorted()
            out.frequencyColumns = Array(Set(out.frequencyColumns).union(p.frequencyColumns)).sorted()
            out.minCellCount = max(out.minCellCount, p.minCellCount)
            out.verbatimWindowBytes = smallest(out.verbatimWindowBytes, p.verbatimWindowBytes)
            out.reviewDeadlineSeconds = smallest(out.reviewDeadlineSeconds, p.reviewDeadlineSeconds)
        }
        return out
    }

    /// The types both lists allow, where nil allows every type.
    static func common(_ a: [OutputFileType]?, _ b: [OutputFileType]?) -> [OutputFileType]? {
        guard let a else { return b }
        guard let b else { return a }
        return Set(a).intersection(b).sorted()
    }

    /// The smaller of two limits where nil is none.
    static func smallest<T: Comparable>(_ a: T?, _ b: T?) -> T? {
        switch (a, b) {
        case (let a?, let b?): return min(a, b)
        default: return a ?? b
        }
    }

    static func normalized(_ names: [String]) -> [String] {
        Array(Set(names.map { $0.lowercased() })).sorted()
    }
}
