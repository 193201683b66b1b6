public import SluiceCore

/// The stores a node works on, each behind its protocol: SQLite in production, the
/// in-memory fake of `SluiceTesting` in unit tests.
public struct NodeStores: Sendable {
    public let nonces: any NonceStore
    public let jobs: any JobStore
    /// Where DDOs are resolved.
    public let assets: any AssetStore
    /// Where the metadata cache's queries run.
    public let search: any AssetSearchStore
    /// Which job each order paid for.
    public let orderUse: any OrderUseStore
    /// The embedded ledger's tables.
    public let ledger: any EmbeddedLedgerStore

    public init(nonces: any NonceStore, jobs: any JobStore, assets: any AssetStore, search: any AssetSearchStore,
                orderUse: any OrderUseStore, ledger: any EmbeddedLedgerStore) {
        self.nonces = nonces
        self.jobs = jobs
        self.assets = assets
        self.search = search
        self.orderUse = orderUse
        self.ledger = ledger
    }

    /// Every store from one database that keeps them all.
    public init(_ store: some NonceStore & JobStore & AssetSearchStore & OrderUseStore & EmbeddedLedgerStore) {
        self.init(nonces: store, jobs: store, assets: store, search: store, orderUse: store, ledger: store)
    }
}
