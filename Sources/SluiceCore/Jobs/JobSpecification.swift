/// Everything the engine needs to run one job, already authorised by the HTTP layer.
public struct JobSpecification: Sendable, Equatable, Codable {
    /// The consumer address as the client sent it.
    public var owner: String
    public var environment: String
    /// The `transferTxId` of the main dataset's order.
    public var agreementId: String
    /// Input 0 is the main dataset; its DID is the job's `documentId`.
    public var inputs: [JobInput]
    public var algorithm: JobAlgorithm
    /// Written to `/data/inputs/algoCustomData.json`.
    public var algoCustomData: JSONValue?
    /// The consumer's `userdata` per input DID (and `"algorithm"`), written to
    /// `/data/inputs/userdata.json`.
    public var userdata: JSONValue?

    public init(owner: String, environment: String, agreementId: String = "",
                inputs: [JobInput], algorithm: JobAlgorithm, algoCustomData: JSONValue? = nil, userdata: JSONValue? = nil) {
        self.owner = owner
        self.environment = environment
        self.agreementId = agreementId
        self.inputs = inputs
        self.algorithm = algorithm
        self.algoCustomData = algoCustomData
        self.userdata = userdata
    }
}

/// One dataset: its DID, its service's files in order, and its DDO for `/data/ddos`.
public struct JobInput: Sendable, Equatable, Codable {
    public var did: String
    public var files: [DataSource]
    public var ddo: JSONValue?
    /// The owner's output policy for this dataset (its compute service's
    /// `sluice.outputPolicy`); nil: the node's.
    public var outputPolicy: OutputPolicy?
    /// The dataset's owner (its data NFT's owner) when the job started: who reviews the
    /// results when the policy requires it.
    public var owner: String?

    public init(did: String, files: [DataSource], ddo: JSONValue? = nil, outputPolicy: OutputPolicy? = nil, owner: String? = nil) {
        self.did = did
        self.files = files
        self.ddo = ddo
        self.outputPolicy = outputPolicy
        self.owner = owner
    }
}

/// The algorithm: published (with a DID) or raw, its code, and its container section.
public struct JobAlgorithm: Sendable, Equatable, Codable {
    public enum Code: Sendable, Equatable, Codable {
        case raw(String)
        case file(DataSource)
        /// Fetched (and checked against the dataset's trust) when the job was started.
        case staged(StagedFile)
    }

    /// nil for raw algorithms (`algoDID` is then "raw").
    public var did: String?
    public var code: Code
    public var container: ContainerSection
    public var ddo: JSONValue?

    public init(did: String? = nil, code: Code, container: ContainerSection, ddo: JSONValue? = nil) {
        self.did = did
        self.code = code
        self.container = container
        self.ddo = ddo
    }
}
