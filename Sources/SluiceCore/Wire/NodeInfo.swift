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

    public init(software: String?, version: String?, chainIds: [Int], providerAddresses: [String: String],
                providerAddress: String?, serviceEndpoints: [String: [String]]?, ledger: String?) {
        self.software = software
        self.version = version
        self.chainIds = chainIds
        self.providerAddresses = providerAddresses
        self.providerAddress = providerAddress
        self.serviceEndpoints = serviceEndpoints
        self.ledger = ledger
    }
}
