/// What a dataset's owner (in the DDO, `services[i].compute.sluice.outputPolicy`) or the
/// node (the config's `outputPolicy`) says about the outputs of jobs on the data. Every
/// key is optional: a key left out takes the node's value, and the node's the built-in
/// default (`EffectiveOutputPolicy.builtIn`). Unknown keys and bad values are refused,
/// naming the key, so a typo never leaves a weaker rule in force unseen.
public struct OutputPolicy: Sendable, Equatable, Codable {
    /// Largest output file, in bytes.
    public var maxFileBytes: Int64?
    /// Largest sum of the released outputs, in bytes.
    public var maxTotalBytes: Int64?
    /// The content types an output may have (see `OutputFileType`).
    public var allowedTypes: [OutputFileType]?
    /// Most data rows (the header excluded) of a CSV or TSV output.
    public var maxRows: Int?
    /// Column names a CSV or TSV output may not have (compared without case).
    public var bannedColumns: [String]?
    /// The columns that make a CSV or TSV a frequency table (compared without case).
    public var frequencyColumns: [String]?
    /// Smallest non-zero count a frequency table's count column may hold; 0 turns it off.
    public var minCellCount: Int?
    /// Whether outputs are searched for bytes copied verbatim from the inputs.
    public var verbatimCheck: Bool?
    /// How many consecutive input bytes make a copy (K).
    public var verbatimWindowBytes: Int?
    /// Whether the dataset's owner must release the results, and by when.
    public var review: ReviewPolicy?

    public init(maxFileBytes: Int64? = nil, maxTotalBytes: Int64? = nil, allowedTypes: [OutputFileType]? = nil,
                maxRows: Int? = nil, bannedColumns: [String]? = nil, frequencyColumns: [String]? = nil,
                minCellCount: Int? = nil, verbatimCheck: Bool? = nil, verbatimWindowBytes: Int? = nil,
                review: ReviewPolicy? = nil) {
        self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes
        self.allowedTypes = allowedTypes
        self.maxRows = maxRows
        self.bannedColumns = bannedColumns
        self.frequencyColumns = frequencyColumns
        self.minCellCount = minCellCount
        self.verbatimCheck = verbatimCheck
        self.verbatimWindowBytes = verbatimWindowBytes
        self.review = review
    }

    /// The smallest and largest K a policy may set.
    public static let windowRange = 16...65_536

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxFileBytes, maxTotalBytes, allowedTypes, maxRows, bannedColumns, frequencyColumns
        case minCellCount, verbatimCheck, verbatimWindowBytes, review
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self, object: "outputPolicy")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxFileBytes = try Self.nonNegative(c, .maxFileBytes)
        maxTotalBytes = try Self.nonNegative(c, .maxTotalBytes)
        allowedTypes = try c.decodeIfPresent([OutputFileType].self, forKey: .allowedTypes)
        maxRows = try Self.nonNegative(c, .maxRows).map { Int($0) }
        bannedColumns = try Self.names(c, .bannedColumns)
        frequencyColumns = try Self.names(c, .frequencyColumns)
        minCellCount = try Self.nonNegative(c, .minCellCount).map { Int($0) }
        verbatimCheck = try c.decodeIfPresent(Bool.self, forKey: .verbatimCheck)
        verbatimWindowBytes = try c.decodeIfPresent(Int.self, forKey: .verbatimWindowBytes)
        review = try c.decodeIfPresent(ReviewPolicy.self, forKey: .review)
        if let k = verbatimWindowBytes, !Self.windowRange.contains(k) {
            throw DecodingError.dataCorruptedError(
                forKey: .verbatimWindowBytes, in: c,
                debugDescription: "verbatimWindowBytes must be between \(Self.windowRange.lowerBound) and \(Self.windowRange.upperBound)")
        }
    }

    private static func nonNegative(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Int64? {
        guard let value = try c.decodeIfPresent(Int64.self, forKey: key) else { return nil }
        guard value >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(key.stringValue) must not be negative")
        }
        return value
    }

    private static func names(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [String]? {
        guard let names = try c.decodeIfPresent([String].self, forKey: key) else { return nil }
        guard names.count <= 256, names.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 128 }) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "\(key.stringValue) takes at most 256 names of 1 to 128 bytes")
        }
        return names
    }
}
