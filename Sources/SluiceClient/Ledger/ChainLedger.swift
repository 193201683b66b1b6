import Foundation
public import SluiceCore
import SluiceCrypto
public import SluiceEVM

/// An EVM chain with Ocean's v4 contracts that the node follows (`sluice serve --chain`).
/// The wallet signs every transaction here, so its key never leaves the process; the
/// node only encrypts for the publisher and indexes what the chain records.
public struct ChainLedger: AssetLedger {
    public let config: ChainConfig
    let client: JSONRPCClient
    /// How long `publish` and `trust` wait for the node to index their transaction.
    public var indexTimeout: Duration = .seconds(90)

    public init(config: ChainConfig) {
        self.config = config
        self.client = JSONRPCClient(configuration: config.rpc)
    }

    /// A ledger on the chain `config` names, after checking its endpoint serves that chain.
    public static func connect(_ config: ChainConfig) async throws(ClientError) -> ChainLedger {
        let ledger = ChainLedger(config: config)
        let answered = try await ledger.perform("reach the chain") { try await ledger.client.chainId() }
        guard answered == config.chainId else {
            throw .chain("The RPC endpoint \(config.rpc.redactedEndpoint) serves chain \(answered), not \(config.chainId) as the chain config says.")
        }
        return ledger
    }

    func sender(_ wallet: Wallet) -> TransactionSender {
        TransactionSender(client: client, chainId: config.chainId, key: wallet.key)
    }

    // MARK: Tokens

    public func mint(datatoken: EthereumAddress, to holder: EthereumAddress, amount: TokenAmount, node: NodeClient,
                     by wallet: Wallet) async throws(ClientError) -> TokenAmount {
        _ = try await perform("mint \(datatoken.checksummed)") {
            try await sender(wallet).transact(OceanContracts.mint, on: datatoken, [.address(holder), .uint(UInt256(amount.wei))])
        }
        return try await balance(token: datatoken, holder: holder, node: node)
    }

    public func transfer(token: EthereumAddress, to holder: EthereumAddress, amount: TokenAmount, node: NodeClient,
                         by wallet: Wallet) async throws(ClientError) -> TokenAmount {
        let held = try await balance(token: token, holder: wallet.address, node: node)
        guard held >= amount else {
            throw .invalidInput("The wallet holds \(held.tokensText) of \(token.checksummed), less than \(amount.tokensText).")
        }
        _ = try await perform("transfer \(token.checksummed)") {
            try await sender(wallet).transact(OceanContracts.transfer, on: token, [.address(holder), .uint(UInt256(amount.wei))])
        }
        return try await balance(token: token, holder: wallet.address, node: node)
    }

    public func balance(token: EthereumAddress, holder: EthereumAddress, node: NodeClient) async throws(ClientError) -> TokenAmount {
        let out = try await perform("read the balance of \(token.checksummed)") {
            try await client.call(OceanContracts.balanceOf, on: token, [.address(holder)])
        }
        guard let wei = out.first?.uintValue?.uint128 else {
            throw .chain("\(token.checksummed) on chain \(config.chainId) did not answer balanceOf with an amount Sluice can hold.")
        }
        return TokenAmount(wei: wei)
    }

    // MARK: Orders

    public func startOrder(datatoken: EthereumAddress, consumer: EthereumAddress, serviceIndex: Int, providerFee: ProviderFee,
                           node: NodeClient, by wallet: Wallet) async throws(ClientError) -> String {
        let fee = try ChainProviderFee(providerFee, node: node.nodeURL)
        try await approveFee(fee, spender: datatoken, by: wallet)
        // No consume-market fee: the node is no marketplace.
        let noMarketFee = ABIValue.tuple([.address(.zero), .address(.zero), .uint(0)])
        let receipt = try await perform("order service \(serviceIndex) of \(datatoken.checksummed)") {
            try await sender(wallet).transact(OceanContracts.startOrder, on: datatoken,
                                              [.address(consumer), .uint(serviceIndex), fee.tuple, noMarketFee])
        }
        return receipt.transactionHash
    }

    public func reuseOrder(_ orderId: String, datatoken: EthereumAddress, providerFee: ProviderFee, node: NodeClient,
                           by wallet: Wallet) async throws(ClientError) -> String {
        guard let id = Hex.decode(orderId), id.count == 32 else {
            throw .invalidInput("\"\(orderId)\" is not a transaction id: expected 0x followed by 64 hex digits.")
        }
        let fee = try ChainProviderFee(providerFee, node: node.nodeURL)
        try await approveFee(fee, spender: datatoken, by: wallet)
        let receipt = try await perform("renew order \(orderId)") {
            try await sender(wallet).transact(OceanContracts.reuseOrder, on: datatoken, [.fixedBytes(id), fee.tuple])
        }
        return receipt.transactionHash
    }

    /// A priced environment's fee is pulled by the datatoken from the payer: allow it first.
    func approveFee(_ fee: ChainProviderFee, spender: EthereumAddress, by wallet: Wallet) async throws(ClientError) {
        guard fee.amount != .zero, fee.token != .zero else { return }
        _ = try await perform("allow the provider fee in \(fee.token.checksummed)") {
            try await sender(wallet).transact(OceanContracts.approve, on: fee.token, [.address(spender), .uint(fee.amount)])
        }
    }

    // MARK: Errors

    /// Runs a chain operation; its failure becomes one sentence naming what failed.
    func perform<T>(_ what: String, _ body: () async throws -> T) async throws(ClientError) -> T {
        do {
            return try await body()
        } catch let error as ClientError {
            throw error
        } catch let error as RPCError {
            if case .rpc(_, let message) = error {
                if error.isRevert { throw .chain("Chain \(config.chainId) refused to \(what): \(message).") }
                // geth says "insufficient funds", py-evm "cannot afford": both mean no gas money.
                let lowered = message.lowercased()
                if lowered.contains("insufficient funds") || lowered.contains("cannot afford") {
                    throw .chain("Cannot \(what): the wallet holds too little of chain \(config.chainId)'s currency to pay for gas.")
                }
            }
            throw .chain("Cannot \(what): \(error).")
        } catch let error as TransactionSender.Failure {
            throw .chain("Cannot \(what): \(error) on chain \(config.chainId).")
        } catch {
            throw .chain("Cannot \(what) on chain \(config.chainId): \(error).")
        }
    }
}

/// The provider fee initializeCompute signed, as `startOrder`/`reuseOrder` take it.
struct ChainProviderFee {
    let tuple: ABIValue
    let token: EthereumAddress
    let amount: UInt256

    init(_ fee: ProviderFee, node: String) throws(ClientError) {
        func bytes(_ text: String, _ key: String, count: Int? = nil) throws(ClientError) -> [UInt8] {
            guard let b = Hex.decode(text), count.map({ b.count == $0 }) ?? true else {
                throw .unexpectedAnswer(node: node, detail: "its providerFee has no valid \(key)")
            }
            return b
        }
        guard (0...255).contains(fee.v), fee.validUntil >= 0 else {
            throw .unexpectedAnswer(node: node, detail: "its providerFee has no valid v or validUntil")
        }
        let r = try bytes(fee.r, "r", count: 32), s = try bytes(fee.s, "s", count: 32), data = try bytes(fee.providerData, "providerData")
        token = fee.providerFeeToken
        amount = UInt256(fee.providerFeeAmount.wei)
        tuple = .tuple([.address(fee.providerFeeAddress), .address(token), .uint(amount), .uint(fee.v), .fixedBytes(r), .fixedBytes(s),
                        .uint(fee.validUntil), .bytes(data)])
    }
}
