import SluiceCore
import SluiceCrypto
import Testing
@testable import SluiceEVM

/// What a receipt alone must show before the ledger looks anything up, on receipts built
/// here: Ocean's template cannot emit an order of less than one token or a fee from
/// another contract, but a datatoken that is not Ocean's template can.
@Suite("Orders read from a receipt")
struct ReceiptOrderTests {
    static let datatoken = EthereumAddress(suffixOf: [0xd7])
    static let consumer = EthereumAddress(suffixOf: [0xc0])
    static let provider = EthereumAddress(suffixOf: [0xfe])
    static let hash = "0x" + String(repeating: "ab", count: 32)

    static func word(_ address: EthereumAddress) -> [UInt8] { [UInt8](repeating: 0, count: 12) + address.bytes }

    static func log(_ address: EthereumAddress, _ event: ABIEvent, topics: [EthereumAddress], data: [ABIValue], index: Int,
                    removed: Bool = false) throws -> EVMLog {
        let plain = event.parameters.filter { !$0.indexed }.map(\.type)
        return EVMLog(address: address, topics: [event.topic] + topics.map(word), data: try ABIEncoder.encode(data, as: plain),
                      blockNumber: 10, blockHash: hash, transactionHash: hash, logIndex: index, removed: removed)
    }

    static func started(wei: UInt128, by token: EthereumAddress = datatoken, index: Int = 0) throws -> EVMLog {
        try log(token, OceanContracts.orderStarted, topics: [consumer, .zero],
                data: [.address(consumer), .uint(UInt256(wei)), .uint(0), .uint(1_700_000_000), .uint(10)], index: index)
    }

    static func fee(by token: EthereumAddress = datatoken, index: Int = 1, removed: Bool = false) throws -> EVMLog {
        try log(token, OceanContracts.providerFee, topics: [provider, .zero],
                data: [.uint(0), .bytes(Array("{}".utf8)), .uint(27), .fixedBytes([UInt8](repeating: 1, count: 32)),
                       .fixedBytes([UInt8](repeating: 2, count: 32)), .uint(1_800_000_000)], index: index, removed: removed)
    }

    static func receipt(_ logs: [EVMLog], status: Int = 1) -> TransactionReceipt {
        TransactionReceipt(transactionHash: hash, status: status, blockNumber: 10, blockHash: hash, from: consumer,
                           to: datatoken, contractAddress: nil, logs: logs)
    }

    static func refusal(_ receipt: TransactionReceipt) -> String? {
        do {
            _ = try EVMLedger.orderEvents(in: receipt, hash: hash)
            return nil
        } catch let error as RequestError {
            #expect(error.kind == .badRequest)
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func anOrderOfOneTokenWithItsFeeIsRead() throws {
        let events = try EVMLedger.orderEvents(in: Self.receipt([try Self.started(wei: TokenAmount.weiPerToken), try Self.fee()]),
                                               hash: Self.hash)
        #expect(events.datatoken == Self.datatoken)
        #expect(events.fee.providerFeeAddress == Self.provider)
        #expect(events.fee.validUntil == 1_800_000_000)
        guard case .started(let e) = events.order else { Issue.record("not a started order"); return }
        #expect(e.consumer == Self.consumer && e.amount == UInt256(TokenAmount.weiPerToken))
    }

    @Test func lessThanOneDatatokenIsRefused() throws {
        let message = Self.refusal(Self.receipt([try Self.started(wei: TokenAmount.weiPerToken / 2), try Self.fee()]))
        #expect(message?.contains("pays less than one datatoken") == true, "\(message ?? "accepted")")
    }

    @Test func aRevertedReceiptIsRefused() throws {
        let message = Self.refusal(Self.receipt([try Self.started(wei: TokenAmount.weiPerToken), try Self.fee()], status: 0))
        #expect(message?.contains("reverted") == true, "\(message ?? "accepted")")
    }

    @Test func aFeeFromAnotherContractOrARemovedLogDoesNotCount() throws {
        let other = EthereumAddress(suffixOf: [0x99])
        for fee in [try Self.fee(by: other), try Self.fee(removed: true)] {
            let message = Self.refusal(Self.receipt([try Self.started(wei: TokenAmount.weiPerToken), fee]))
            #expect(message?.contains("no ProviderFee event of its datatoken") == true, "\(message ?? "accepted")")
        }
    }

    @Test func twoOrdersOrTwoFeesInOneTransactionAreRefused() throws {
        let one = TokenAmount.weiPerToken
        let twoOrders = Self.refusal(Self.receipt([try Self.started(wei: one), try Self.started(wei: one, index: 2), try Self.fee()]))
        #expect(twoOrders?.contains("several orders") == true, "\(twoOrders ?? "accepted")")
        let twoFees = Self.refusal(Self.receipt([try Self.started(wei: one), try Self.fee(), try Self.fee(index: 2)]))
        #expect(twoFees?.contains("more than one ProviderFee") == true, "\(twoFees ?? "accepted")")
    }
}
