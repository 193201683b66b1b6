public import SluiceCore
import SluiceCrypto

/// The checks compute start makes on the order behind a `transferTxId` (contract
/// section 4), whichever ledger recorded it.
public struct OrderVerifier: Sendable {
    public let providerAddress: EthereumAddress
    public let now: @Sendable () -> Int

    public init(providerAddress: EthereumAddress, now: @escaping @Sendable () -> Int) {
        self.providerAddress = providerAddress
        self.now = now
    }

    public struct Context: Sendable {
        public var ddo: DDO
        public var serviceIndex: Int
        public var requester: EthereumAddress
        public var environment: ComputeEnvironment
        /// Where the transaction id came from, to name it in refusals (`dataset.transferTxId`).
        public var field: String

        public init(ddo: DDO, serviceIndex: Int, requester: EthereumAddress, environment: ComputeEnvironment, field: String) {
            self.ddo = ddo
            self.serviceIndex = serviceIndex
            self.requester = requester
            self.environment = environment
            self.field = field
        }

        /// Where the asset came from (`dataset.documentId` beside `dataset.transferTxId`).
        public var assetField: String {
            field.hasSuffix(".transferTxId") ? String(field.dropLast(".transferTxId".count)) + ".documentId" : field
        }
    }

    /// The order if it pays for this service, this requester and this environment now.
    /// `original` is the order a reuse renews (nil for a first order).
    public func verify(_ order: Order, original: Order?, context c: Context) throws(RequestError) -> Order {
        try verifyAsset(c.ddo, field: c.assetField)
        try verifyOrder(order, original: original, context: c)
        try verifyFee(order.providerFee, context: c)
        return order
    }

    /// The asset may be ordered now: its state as the node knows it now, whatever it was
    /// when ordered. Compute start and initialize call it as soon as they resolve an
    /// input (`field` names it); `verify` calls it for a whole check in one call.
    public func verifyAsset(_ ddo: DDO, field: String) throws(RequestError) {
        try ddo.requireOrderable(field: field)
    }

    /// The order itself: datatoken, service, parties, age, not yet used.
    public func verifyOrder(_ order: Order, original: Order?, context c: Context) throws(RequestError) {
        let field = c.field
        let base = original ?? order
        let service = c.ddo.services[c.serviceIndex]
        guard base.datatoken == service.datatokenAddress else {
            throw .badRequest("\(field) is an order for another datatoken than service \"\(service.id)\"'s", field: field)
        }
        if let nft = order.nftAddress ?? base.nftAddress, nft != c.ddo.nftAddress {
            throw .badRequest("\(field) is an order of a datatoken that does not belong to the asset's data NFT", field: field)
        }
        guard base.serviceIndex == c.serviceIndex else {
            throw .badRequest("\(field) is an order for service \(base.serviceIndex), not \(c.serviceIndex)", field: field)
        }
        guard base.consumer == c.requester || base.payer == c.requester else {
            throw .forbidden("\(field) is an order of another consumer", field: field)
        }
        if let job = order.consumedByJob {
            throw .conflict("\(field) already paid for job \(job); order again or reuse the order", field: field)
        }
        let time = now()
        if service.timeout > 0 && time - base.timestamp > service.timeout {
            throw .badRequest("\(field) expired: the order is older than the service's timeout of \(service.timeout) s; order again", field: field)
        }
    }

    /// The provider fee it carries: signed by this node, for this environment, datatoken
    /// and service, not expired, covering the price.
    public func verifyFee(_ fee: ProviderFee, context c: Context) throws(RequestError) {
        let field = c.field
        let service = c.ddo.services[c.serviceIndex]
        let time = now()
        guard fee.providerFeeAddress == providerAddress, ProviderFees.signer(of: fee) == providerAddress else {
            throw .badRequest("\(field) carries a provider fee not signed by this provider", field: field)
        }
        guard let data = fee.decodedData else {
            throw .badRequest("\(field) carries a provider fee whose providerData is not this provider's", field: field)
        }
        guard data.environment == c.environment.id else {
            throw .badRequest("\(field) carries a provider fee for environment \"\(data.environment)\", not \"\(c.environment.id)\"", field: field)
        }
        guard data.datatoken == service.datatokenAddress, data.serviceId == service.id else {
            throw .badRequest("\(field) carries a provider fee for another datatoken or service", field: field)
        }
        guard fee.validUntil >= time else {
            throw .badRequest("\(field) carries a provider fee that expired; ask initializeCompute and reuse the order", field: field)
        }
        guard fee.providerFeeAmount >= ProviderFees.price(of: c.environment), fee.providerFeeToken == c.environment.feeToken else {
            throw .badRequest("\(field) carries a provider fee that does not cover environment \"\(c.environment.id)\"'s price", field: field)
        }
    }
}
