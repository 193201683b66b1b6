/// What the compute path needs from a ledger, whichever keeps the tokens: the embedded
/// one in the node's database, or an EVM chain. The rest of the node talks to this only.
public protocol Ledger: Sendable {
    /// The order recorded under `transactionId`, checked as far as the ledger itself can
    /// (a chain: receipt status and events), with the order it renews when it is a reuse.
    /// nil when there is no such order. Rules common to all ledgers are `OrderVerifier`'s.
    func order(_ transactionId: String) async throws -> LedgerOrder?
}

public struct LedgerOrder: Sendable, Equatable {
    public var order: Order
    /// For a reuse: the order it renews, whose age and parties count.
    public var original: Order?

    public init(order: Order, original: Order?) {
        self.order = order
        self.original = original
    }
}

/// Which orders have paid for a job: kept by the node whatever the ledger, since a chain
/// records the payment but not its use.
public protocol OrderUseStore: Sendable {
    /// The job an order paid for, nil when it is unused.
    func jobPaid(by transactionId: String) async throws -> String?
}
