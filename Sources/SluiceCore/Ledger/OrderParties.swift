/// An order's addresses, parsed once where an order is checked: every comparison is then
/// between addresses, so two malformed texts can never compare equal.
public struct OrderParties: Sendable, Equatable {
    public let datatoken: EthereumAddress
    public let consumer: EthereumAddress
    public let payer: EthereumAddress
    /// When the ledger reports it.
    public let nft: EthereumAddress?

    /// nil when any address the order names is malformed.
    public init?(_ order: Order) {
        guard let datatoken = EthereumAddress(order.datatoken), let consumer = EthereumAddress(order.consumer),
              let payer = EthereumAddress(order.payer) else { return nil }
        var nft: EthereumAddress?
        if let text = order.nftAddress {
            guard let parsed = EthereumAddress(text) else { return nil }
            nft = parsed
        }
        self.datatoken = datatoken
        self.consumer = consumer
        self.payer = payer
        self.nft = nft
    }
}
