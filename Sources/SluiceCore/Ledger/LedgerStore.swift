/// Where assets are resolved: the node's own database, filled by publishing through the
/// node (embedded ledger) or by indexing a chain (EVM ledger).
public protocol AssetStore: Sendable {
    func asset(_ did: DID) async throws -> DDO?
}

/// The storage of the embedded ledger. Every write consumes its authorisation's nonce
/// in the same transaction and checks, inside that transaction, what must hold for it
/// (owner, minter, balances), so concurrent writes cannot overdraw or double-spend.
/// Refusals are `RequestError`s.
public protocol EmbeddedLedgerStore: AssetStore {
    func publish(_ ddo: DDO, nft: DataNFTRecord, datatokens: [DatatokenRecord], authorizedBy: Authorization) async throws
    /// Replaces the DDO (and adds `newDatatokens`) if the signer owns the asset's NFT.
    func update(_ ddo: DDO, newDatatokens: [DatatokenRecord], authorizedBy: Authorization) async throws
    func nft(_ address: EthereumAddress) async throws -> DataNFTRecord?
    func datatoken(_ address: EthereumAddress) async throws -> DatatokenRecord?
    /// Mints to `to` if the signer is the datatoken's minter.
    func mint(datatoken: EthereumAddress, to: EthereumAddress, amount: TokenAmount, authorizedBy: Authorization) async throws
    /// Moves the signer's tokens.
    func transfer(token: EthereumAddress, to: EthereumAddress, amount: TokenAmount, authorizedBy: Authorization) async throws
    func balance(token: EthereumAddress, holder: EthereumAddress) async throws -> TokenAmount
    /// Records `order`, moving `order.amount` of its datatoken from the payer (the signer)
    /// to `paymentTo`, and the provider fee from the payer to the fee address when it is not zero.
    func placeOrder(_ order: Order, paymentTo: EthereumAddress, authorizedBy: Authorization) async throws
    func order(_ transactionId: String) async throws -> Order?
}
