/// A datatoken order: one datatoken paid by `payer` so that `consumer` may use service
/// `serviceIndex` of the asset that `datatoken` belongs to.
public struct Order: Codable, Sendable, Equatable {
    /// `0x` + 64 hex digits, unique per order or reuse.
    public var transactionId: String
    /// For a reuse: the order it renews. Age and parties come from that order.
    public var reusedOrderId: String?
    public var datatoken: EthereumAddress
    public var consumer: EthereumAddress
    public var payer: EthereumAddress
    public var serviceIndex: Int
    public var amount: TokenAmount
    public var providerFee: ProviderFee
    /// Unix seconds.
    public var timestamp: Int
    /// The job this order paid for, once one did: an order pays for one job.
    public var consumedByJob: String?
    /// The data NFT the datatoken belongs to, when the ledger reports it (a chain's
    /// `getERC721Address()`); checked against the asset's.
    public var nftAddress: EthereumAddress?

    public init(transactionId: String, reusedOrderId: String? = nil, datatoken: EthereumAddress, consumer: EthereumAddress,
                payer: EthereumAddress, serviceIndex: Int, amount: TokenAmount, providerFee: ProviderFee, timestamp: Int,
                consumedByJob: String? = nil, nftAddress: EthereumAddress? = nil) {
        self.transactionId = transactionId
        self.reusedOrderId = reusedOrderId
        self.datatoken = datatoken
        self.consumer = consumer
        self.payer = payer
        self.serviceIndex = serviceIndex
        self.amount = amount
        self.providerFee = providerFee
        self.timestamp = timestamp
        self.consumedByJob = consumedByJob
        self.nftAddress = nftAddress
    }
}

/// Who signed a write and with which nonce; the store consumes the nonce in the same
/// transaction as the write.
public struct Authorization: Sendable, Equatable {
    public let signer: EthereumAddress
    public let nonce: Nonce

    public init(signer: EthereumAddress, nonce: Nonce) {
        self.signer = signer
        self.nonce = nonce
    }
}

public struct DataNFTRecord: Codable, Sendable, Equatable {
    public var address: EthereumAddress
    public var owner: EthereumAddress
    public var name: String
    public var symbol: String
    public var created: Int

    public init(address: EthereumAddress, owner: EthereumAddress, name: String, symbol: String, created: Int) {
        self.address = address
        self.owner = owner
        self.name = name
        self.symbol = symbol
        self.created = created
    }
}

public struct DatatokenRecord: Codable, Sendable, Equatable {
    public var address: EthereumAddress
    public var nft: EthereumAddress
    public var minter: EthereumAddress
    public var name: String
    public var symbol: String
    public var serviceId: String

    public init(address: EthereumAddress, nft: EthereumAddress, minter: EthereumAddress, name: String, symbol: String, serviceId: String) {
        self.address = address
        self.nft = nft
        self.minter = minter
        self.name = name
        self.symbol = symbol
        self.serviceId = serviceId
    }
}
