/// One entry of a job's `results` list (contract section 3).
public struct JobResultFile: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case output
        case algorithmLog
        case configurationLog
        case publishLog
        /// `receipt.json`, the node's signed account of the job (Sluice's addition).
        case receipt
    }

    public var index: Int
    /// For outputs, the path relative to `/data/outputs` (`sub/model.pkl`); for logs, the log's name.
    public var filename: String
    public var filesize: Int64
    public var type: Kind

    public init(index: Int, filename: String, filesize: Int64, type: Kind) {
        self.index = index
        self.filename = filename
        self.filesize = filesize
        self.type = type
    }
}
