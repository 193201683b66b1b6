public import SluiceCore

/// Where the SDK publishes assets, moves datatokens and places orders: `NodeLedger` (the
/// default) has the node keep them in its embedded ledger; `ChainLedger` signs
/// transactions on an EVM chain the node follows. Resolving assets and everything about
/// compute go to the node either way, so only these operations differ.
public protocol AssetLedger: Sendable {
    /// Creates the data NFT and datatoken(s) and publishes the DDO; returns it as the node serves it.
    func publish(_ asset: AssetPublication, node: NodeClient, by wallet: Wallet) async throws(ClientError) -> DDO
    /// Adds `algorithm` to the trusted algorithms of `serviceId` of `dataset`; returns the dataset as the node serves it.
    func trust(_ algorithm: DID, on dataset: DID, serviceId: String, node: NodeClient, by wallet: Wallet) async throws(ClientError) -> DDO
    /// Returns the holder's new balance.
    func mint(datatoken: EthereumAddress, to holder: EthereumAddress, amount: TokenAmount, node: NodeClient,
              by wallet: Wallet) async throws(ClientError) -> TokenAmount
    /// Returns the sender's new balance.
    func transfer(token: EthereumAddress, to holder: EthereumAddress, amount: TokenAmount, node: NodeClient,
                  by wallet: Wallet) async throws(ClientError) -> TokenAmount
    func balance(token: EthereumAddress, holder: EthereumAddress, node: NodeClient) async throws(ClientError) -> TokenAmount
    /// Pays one datatoken for service `serviceIndex` with the node's signed `providerFee`; returns the order's id.
    func startOrder(datatoken: EthereumAddress, consumer: EthereumAddress, serviceIndex: Int, providerFee: ProviderFee,
                    node: NodeClient, by wallet: Wallet) async throws(ClientError) -> String
    /// Renews the provider fee of order `orderId`; returns the reuse's id.
    func reuseOrder(_ orderId: String, datatoken: EthereumAddress, providerFee: ProviderFee, node: NodeClient,
                    by wallet: Wallet) async throws(ClientError) -> String
}

/// An asset to publish: its metadata, its services, and the file every service serves
/// (unencrypted here: each ledger encrypts it to the node's key its own way).
public struct AssetPublication: Sendable {
    public struct Service: Sendable {
        public var id: String
        public var type: String
        /// Seconds an order stays usable.
        public var timeout: Int
        /// The `compute` options of a compute service.
        public var compute: JSONValue?
    }

    public var metadata: [String: JSONValue]
    public var services: [Service]
    public var file: DataSource
}
