/// `GET /` (contract section 1): who the provider is and where its endpoints are. The
/// node answers it and the SDK reads it; fields other nodes may leave out are optional.
public struct NodeInfo: Codable, Sendable, Equatable {
    public var software: String?
    public var version: String?
    public var chainIds: [Int]
    /// Chain id (as text) to the provider's EIP-55 address.
    public var providerAddresses: [String: String]
    public var providerAddress: String?
    /// Endpoint name to `[method, path]`, as Ocean's provider lists them.
    public var serviceEndpoints: [String: [String]]?
    /// `embedded` or `evm`: where orders are placed, so clients know whether the
    /// `/api/sluice` ledger routes serve. Absent from other nodes.
    public var ledger: String?
    /// Sluice's: which replica answered (`host:pid`) and whether it follows the chain now
    /// (nil without a chain). Absent from other nodes.
    public var replica: String?
    public var holdsIndexer: Bool?

    public init(software: String?, version: String?, chainIds: [Int], providerAddresses: [String: String],
                providerAddress: String?, serviceEndpoints: [String: [String]]?, ledger: String?,
                replica: String? = nil, holdsIndexer: Bool? = nil) {
        self.software = software
        self.version = version
        self.chainIds = chainIds
        self.providerAddresses = providerAddresses
        self.providerAddress = providerAddress
        self.serviceEndpoints = serviceEndpoints
        self.ledger = ledger
        self.replica = replica
        self.holdsIndexer = holdsIndexer
    }
}

/// `GET /api/sluice/health`: the replica that answered, its database, and whether it holds
/// the chain indexer (null without a chain). A replica answers only once its database,
/// engine and routes are up.
public struct NodeHealth: Codable, Sendable, Equatable {
    public var status: String
    public var replica: String
    /// `sqlite` or `postgresql`.
    public var database: String
    public var holdsIndexer: Bool?

    public init(status: String = "ok", replica: String, database: String, holdsIndexer: Bool?) {
        self.status = status
        self.replica = replica
        self.database = database
        self.holdsIndexer = holdsIndexer
    }
}
