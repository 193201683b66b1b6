import Foundation
import SluiceCore
import SluiceCrypto
import SluiceLedger
import Testing

/// `OrderVerifier`'s rules one by one, on values: each broken order is refused with its
/// own reason, and the good one passes.
@Suite struct OrderVerifierTests {
    static let provider = PrivateKey(hex: String(repeating: "11", count: 32))!
    static let consumer = PrivateKey(hex: String(repeating: "22", count: 32))!.address
    static let stranger = PrivateKey(hex: String(repeating: "44", count: 32))!.address
    static let nft = EthereumAddress("0x" + String(repeating: "a1", count: 20))!
    static let datatoken = EthereumAddress("0x" + String(repeating: "b2", count: 20))!
    static let now = 1_800_000_000

    let environment = ComputeEnvironment(id: "paid", maxJobDuration: 60, priceMin: 1,
                                         feeToken: EthereumAddress("0x" + String(repeating: "c3", count: 20))!)
    let verifier = OrderVerifier(providerAddress: OrderVerifierTests.provider.address, now: { OrderVerifierTests.now })

    var ddo: DDO {
        let service = AssetService(id: "compute", type: .compute, files: "0x", datatokenAddress: Self.datatoken,
                                   serviceEndpoint: "http://node", timeout: 3600)
        return DDO(id: DID("did:op:" + String(repeating: "d4", count: 32))!, chainId: 8996, nftAddress: Self.nft,
                   metadata: AssetMetadata(created: "2026", updated: "2026", type: .dataset, name: "n", description: "d", author: "a", license: "l"),
                   services: [service],
                   nft: NFTSummary(address: Self.nft.checksummed, name: "N", symbol: "N", owner: Self.consumer.checksummed, created: "2026"),
                   datatokens: [DatatokenSummary(address: Self.datatoken.checksummed, name: "D", symbol: "D", serviceId: "compute")])
    }

    func fee(environment: ComputeEnvironment? = nil, datatoken: EthereumAddress = datatoken, validUntil: Int = now + 600,
             key: PrivateKey = provider) -> ProviderFee {
        ProviderFees.make(environment: environment ?? self.environment, datatoken: datatoken, serviceId: "compute",
                          validUntil: validUntil, now: Self.now, key: key)
    }

    func order(_ change: (inout Order) -> Void = { _ in }) -> Order {
        var order = Order(transactionId: "0x" + String(repeating: "e5", count: 32), datatoken: Self.datatoken,
                          consumer: Self.consumer, payer: Self.consumer, serviceIndex: 0,
                          amount: TokenAmount(wei: 1), providerFee: fee(), timestamp: Self.now - 60, nftAddress: Self.nft)
        change(&order)
        return order
    }

    var context: OrderVerifier.Context {
        OrderVerifier.Context(ddo: ddo, serviceIndex: 0, requester: Self.consumer, environment: environment, field: "dataset.transferTxId")
    }

    @Test func aGoodOrderPasses() throws {
        _ = try verifier.verify(order(), original: nil, context: context)
    }

    @Test(arguments: [
        ("another datatoken", "another datatoken"),
        ("another NFT", "does not belong to the asset's data NFT"),
        ("another service", "for service 1"),
        ("another consumer", "another consumer"),
        ("a used order", "already paid for job"),
        ("an old order", "expired"),
        ("a fee signed by another key", "not signed by this provider"),
        ("a fee for another environment", "for environment"),
        ("a fee for another datatoken", "another datatoken or service"),
        ("an expired fee", "fee that expired"),
        ("a fee below the price", "does not cover"),
    ])
    func eachBrokenRuleIsRefusedWithItsReason(_ broken: String, _ reason: String) throws {
        let other = EthereumAddress("0x" + String(repeating: "99", count: 20))!
        var context = self.context
        let candidate: Order
        switch broken {
        case "another datatoken": candidate = order { $0.datatoken = other }
        case "another NFT": candidate = order { $0.nftAddress = other }
        case "another service": candidate = order { $0.serviceIndex = 1 }
        case "another consumer":
            candidate = order()
            context.requester = Self.stranger
        case "a used order": candidate = order { $0.consumedByJob = "job-1" }
        case "an old order": candidate = order { $0.timestamp = Self.now - 7200 }
        case "a fee signed by another key": candidate = order { $0.providerFee = fee(key: PrivateKey(hex: String(repeating: "55", count: 32))!) }
        case "a fee for another environment": candidate = order { $0.providerFee = fee(environment: ComputeEnvironment(id: "other", priceMin: 1, feeToken: environment.feeToken)) }
        case "a fee for another datatoken": candidate = order { $0.providerFee = fee(datatoken: other) }
        case "an expired fee": candidate = order { $0.providerFee = fee(validUntil: Self.now - 1) }
        case "a fee below the price":
            var cheap = environment
            cheap.priceMin = 0.5
            candidate = order { $0.providerFee = fee(environment: cheap) }
        default: Issue.record("unknown case \(broken)"); return
        }
        let error = #expect(throws: RequestError.self) { try verifier.verify(candidate, original: nil, context: context) }
        #expect(error?.field == "dataset.transferTxId")
        #expect(error?.message.contains(reason) == true, "\(broken): \(error?.message ?? "")")
    }

    @Test func aReuseIsJudgedByTheOrderItRenews() throws {
        let original = order()
        let reuse = order {
            $0.transactionId = "0x" + String(repeating: "f6", count: 32)
            $0.reusedOrderId = original.transactionId
            $0.serviceIndex = -1
            $0.timestamp = Self.now
        }
        _ = try verifier.verify(reuse, original: original, context: context)
        var old = original
        old.timestamp = Self.now - 7200
        #expect(throws: RequestError.self) { try verifier.verify(reuse, original: old, context: context) }
    }

    /// An order, a fee or an asset is read with parsed addresses: a malformed one is
    /// refused where it is read, so no comparison ever sees it.
    @Test(arguments: ["datatoken", "consumer", "payer", "nftAddress", "providerFeeAddress", "providerFeeToken"])
    func aMalformedAddressCannotBeRead(_ key: String) throws {
        var members = try #require(try JSONValue.parse(Array(try JSONEncoder().encode(order()))).objectValue)
        let bad = JSONValue.string("0xnot-an-address")
        if key.hasPrefix("providerFee") {
            var fee = try #require(members["providerFee"]?.objectValue)
            fee[key] = bad
            members["providerFee"] = .object(fee)
        } else {
            members[key] = bad
        }
        let text = JSONValue.object(members).compactJSON()
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Order.self, from: Data(text.utf8)) }
    }

    @Test(arguments: ["nftAddress", "datatokenAddress"])
    func anAssetWithAMalformedAddressCannotBeRead(_ key: String) throws {
        var members = try #require(try JSONValue.parse(Array(try JSONEncoder().encode(ddo))).objectValue)
        let bad = JSONValue.string("0xnot-an-address")
        if key == "nftAddress" {
            members[key] = bad
        } else {
            var service = try #require(members["services"]?.arrayValue?.first?.objectValue)
            service[key] = bad
            members["services"] = .array([.object(service)])
        }
        let text = JSONValue.object(members).compactJSON()
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DDO.self, from: Data(text.utf8)) }
    }
}
