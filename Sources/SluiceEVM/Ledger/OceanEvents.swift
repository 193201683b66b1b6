import SluiceCore
import SluiceCrypto

/// Ocean's order events, decoded from a receipt's logs. Each remembers the contract that
/// emitted it: only the datatoken itself can emit events under its own address.
struct OrderStartedEvent {
    var datatoken: EthereumAddress
    var consumer: EthereumAddress
    var payer: EthereumAddress
    var amount: UInt256
    var serviceIndex: UInt256
    var timestamp: UInt256
    var logIndex: Int

    init?(_ log: EVMLog) throws(ABIError) {
        guard log.topics.first == OceanContracts.orderStarted.topic else { return nil }
        let v = try OceanContracts.orderStarted.decode(topics: log.topics, data: log.data)
        guard let consumer = v["consumer"]?.addressValue, let payer = v["payer"]?.addressValue,
              let amount = v["amount"]?.uintValue, let index = v["serviceIndex"]?.uintValue,
              let timestamp = v["timestamp"]?.uintValue else { throw .invalid("OrderStarted fields") }
        self.datatoken = log.address
        self.consumer = consumer
        self.payer = payer
        self.amount = amount
        self.serviceIndex = index
        self.timestamp = timestamp
        self.logIndex = log.logIndex
    }
}

struct OrderReusedEvent {
    var datatoken: EthereumAddress
    var orderTxId: String
    var caller: EthereumAddress
    var timestamp: UInt256
    var logIndex: Int

    init?(_ log: EVMLog) throws(ABIError) {
        guard log.topics.first == OceanContracts.orderReused.topic else { return nil }
        let v = try OceanContracts.orderReused.decode(topics: log.topics, data: log.data)
        guard let id = v["orderTxId"]?.bytesValue, let caller = v["caller"]?.addressValue,
              let timestamp = v["timestamp"]?.uintValue else { throw .invalid("OrderReused fields") }
        self.datatoken = log.address
        self.orderTxId = Hex.encode(id, prefix: true)
        self.caller = caller
        self.timestamp = timestamp
        self.logIndex = log.logIndex
    }
}

struct ProviderFeeEvent {
    var datatoken: EthereumAddress
    var fee: ProviderFee
    var logIndex: Int

    init?(_ log: EVMLog) throws(ABIError) {
        guard log.topics.first == OceanContracts.providerFee.topic else { return nil }
        let v = try OceanContracts.providerFee.decode(topics: log.topics, data: log.data)
        guard let address = v["providerFeeAddress"]?.addressValue, let token = v["providerFeeToken"]?.addressValue,
              let amount = v["providerFeeAmount"]?.uintValue?.uint128, let data = v["providerData"]?.bytesValue,
              let recovery = v["v"]?.uintValue?.int, let r = v["r"]?.bytesValue, let s = v["s"]?.bytesValue,
              let validUntil = v["validUntil"]?.uintValue else { throw .invalid("ProviderFee fields (an amount beyond 2^128 wei included)") }
        self.datatoken = log.address
        // A validUntil beyond Int is kept as Int.max: the signature check then fails,
        // since it covers the exact value.
        self.fee = ProviderFee(
            providerFeeAddress: address, providerFeeToken: token,
            providerFeeAmount: TokenAmount(wei: amount), providerData: Hex.encode(data, prefix: true),
            v: recovery, r: Hex.encode(r, prefix: true), s: Hex.encode(s, prefix: true),
            validUntil: validUntil.int ?? Int.max)
        self.logIndex = log.logIndex
    }
}
