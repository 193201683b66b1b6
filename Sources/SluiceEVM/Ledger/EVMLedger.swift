public import Logging
public import SluiceCore
import SluiceCrypto

/// Orders as an EVM chain records them: a datatoken's `startOrder` or `reuseOrder`
/// transaction, read back from its receipt. What the chain guarantees is taken from the
/// events; what it does not check (the fee's signer, datatoken, environment, expiry, the
/// parties and the service) is left on the returned `Order` for `OrderVerifier`.
public struct EVMLedger: Ledger {
    public let client: JSONRPCClient
    let logger: Logger
    /// How many `reuseOrder`s may be followed back to the `startOrder`.
    let maxReuseDepth = 8

    public init(client: JSONRPCClient, logger: Logger = Logger(label: "sluice.evm.ledger")) {
        self.client = client
        self.logger = logger
    }

    public func order(_ transactionId: String) async throws -> LedgerOrder? {
        guard let hash = Self.normalizedHash(transactionId) else { return nil }
        do {
            return try await resolve(hash)
        } catch let error as RPCError {
            throw Self.refusal(error)
        } catch let error as ABIError {
            throw RequestError.badRequest("transaction \(hash) carries malformed Ocean events: \(error)")
        }
    }

    func resolve(_ hash: String) async throws -> LedgerOrder? {
        guard let placed = try await placedOrder(hash) else { return nil }
        switch placed {
        case .started(let order):
            return LedgerOrder(order: order, original: nil)
        case .reused(var order, let reused):
            var originalId = reused.orderTxId
            for _ in 0..<maxReuseDepth {
                guard let found = try await placedOrder(originalId) else {
                    throw RequestError.badRequest("transaction \(hash) reuses order \(originalId), which the chain does not hold")
                }
                switch found {
                case .started(let original):
                    guard original.datatoken == reused.datatoken else {
                        throw RequestError.badRequest("transaction \(hash) reuses an order of another datatoken")
                    }
                    order.consumer = original.consumer
                    order.serviceIndex = original.serviceIndex
                    order.reusedOrderId = original.transactionId
                    return LedgerOrder(order: order, original: original)
                case .reused(_, let next):
                    originalId = next.orderTxId
                }
            }
            throw RequestError.badRequest("transaction \(hash) reuses a chain of more than \(maxReuseDepth) orders")
        }
    }

    enum Placed {
        case started(Order)
        /// The order as the reuse transaction states it, and the event naming the original.
        case reused(Order, OrderReusedEvent)
    }

    /// The order one transaction placed, checked as far as its own receipt goes.
    func placedOrder(_ hash: String) async throws -> Placed? {
        guard let receipt = try await client.transactionReceipt(hash) else {
            if try await client.transaction(hash) != nil {
                throw RequestError.badRequest("transaction \(hash) is not mined yet; try again once it is")
            }
            return nil
        }
        let events = try Self.orderEvents(in: receipt, hash: hash)
        let nft = try await nftAddress(of: events.datatoken)
        switch events.order {
        case .started(let e):
            guard let index = e.serviceIndex.int, let timestamp = e.timestamp.int, let amount = e.amount.uint128 else {
                throw RequestError.badRequest("transaction \(hash) names an impossible service index, time or amount")
            }
            return .started(Order(
                transactionId: hash, datatoken: events.datatoken, consumer: e.consumer,
                payer: e.payer, serviceIndex: index, amount: TokenAmount(wei: amount),
                providerFee: events.fee, timestamp: timestamp, nftAddress: nft))
        case .reused(let e):
            guard let timestamp = e.timestamp.int else {
                throw RequestError.badRequest("transaction \(hash) names an impossible time")
            }
            // Consumer and service are the original's; filled in when it is found.
            return .reused(Order(
                transactionId: hash, reusedOrderId: e.orderTxId, datatoken: events.datatoken,
                consumer: e.caller, payer: e.caller, serviceIndex: -1, amount: .zero,
                providerFee: events.fee, timestamp: timestamp, nftAddress: nft), e)
        }
    }

    /// The order event of a receipt and the provider fee its datatoken emitted with it.
    struct OrderEvents {
        enum Kind {
            case started(OrderStartedEvent)
            case reused(OrderReusedEvent)
        }
        var order: Kind
        var datatoken: EthereumAddress
        var fee: ProviderFee
    }

    /// What a receipt alone shows, before anything is looked up: it succeeded, placed
    /// exactly one order, paid at least one datatoken, and carries one fee of that datatoken.
    static func orderEvents(in receipt: TransactionReceipt, hash: String) throws -> OrderEvents {
        guard receipt.status == 1 else {
            throw RequestError.badRequest("transaction \(hash) reverted on chain: it placed no order")
        }
        var started: [OrderStartedEvent] = []
        var reused: [OrderReusedEvent] = []
        var fees: [ProviderFeeEvent] = []
        for log in receipt.logs where !log.removed {
            if let e = try OrderStartedEvent(log) { started.append(e) }
            if let e = try OrderReusedEvent(log) { reused.append(e) }
            if let e = try ProviderFeeEvent(log) { fees.append(e) }
        }
        guard started.count + reused.count == 1 else {
            if started.isEmpty && reused.isEmpty {
                throw RequestError.badRequest("transaction \(hash) is not a datatoken order (no OrderStarted or OrderReused event)")
            }
            throw RequestError.badRequest("transaction \(hash) places several orders; order each service in its own transaction")
        }
        let order: OrderEvents.Kind
        let datatoken: EthereumAddress
        if let e = started.first {
            // Ocean's template always pays exactly one token; another contract might not.
            if let amount = e.amount.uint128, amount < TokenAmount.weiPerToken {
                throw RequestError.badRequest("transaction \(hash) pays less than one datatoken")
            }
            order = .started(e)
            datatoken = e.datatoken
        } else {
            order = .reused(reused[0])
            datatoken = reused[0].datatoken
        }
        // The fee that counts is the one the same datatoken emitted in this transaction.
        let ownFees = fees.filter { $0.datatoken == datatoken }
        guard ownFees.count == 1, let fee = ownFees.first?.fee else {
            throw RequestError.badRequest("transaction \(hash) carries \(ownFees.isEmpty ? "no" : "more than one") ProviderFee event of its datatoken")
        }
        return OrderEvents(order: order, datatoken: datatoken, fee: fee)
    }

    /// The data NFT the datatoken says it belongs to (`getERC721Address()`).
    func nftAddress(of datatoken: EthereumAddress) async throws -> EthereumAddress {
        let out: [ABIValue]
        do {
            out = try await client.call(OceanContracts.getERC721Address, on: datatoken)
        } catch let error as RPCError where !Self.isTransport(error) {
            throw RequestError.badRequest("\(datatoken.checksummed) is not an Ocean datatoken (getERC721Address failed)")
        } catch is ABIError {
            throw RequestError.badRequest("\(datatoken.checksummed) is not an Ocean datatoken (getERC721Address failed)")
        }
        guard let nft = out.first?.addressValue else {
            throw RequestError.badRequest("\(datatoken.checksummed) is not an Ocean datatoken")
        }
        return nft
    }

    static func isTransport(_ error: RPCError) -> Bool {
        if case .rpc = error { return false }
        return true
    }

    /// `0x` + 64 lowercase hex digits, or nil.
    static func normalizedHash(_ text: String) -> String? {
        guard text.utf8.count == 66, text.hasPrefix("0x"), let bytes = Hex.decode(text), bytes.count == 32 else { return nil }
        return Hex.encode(bytes, prefix: true)
    }

    /// A chain that does not answer is the node's problem, not the caller's: 503.
    static func refusal(_ error: RPCError) -> RequestError {
        switch error {
        case .unreachable, .malformed:
            return RequestError(.unavailable, "\(error); the order cannot be checked now, try again later")
        case .rpc:
            return RequestError(.unavailable, "the chain could not look up the order: \(error)")
        }
    }
}
