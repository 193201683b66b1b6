public import SluiceCore
public import SluiceCrypto

/// Sends contract calls from one key: fills in nonce, fees and gas from the chain, signs
/// locally (the key never leaves the process) and waits for the receipt.
public struct TransactionSender: Sendable {
    public let client: JSONRPCClient
    public let chainId: Int
    let key: PrivateKey

    public init(client: JSONRPCClient, chainId: Int, key: PrivateKey) {
        self.client = client
        self.chainId = chainId
        self.key = key
    }

    public var address: EthereumAddress { key.address }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case reverted(String)
        case notMined(String)

        public var description: String {
            switch self {
            case .reverted(let hash): return "transaction \(hash) reverted"
            case .notMined(let hash): return "transaction \(hash) was not mined in time"
            }
        }
    }

    /// Builds the request: EIP-1559 fees when the chain reports a base fee, else legacy.
    public func prepare(to: EthereumAddress?, data: [UInt8], value: UInt128 = 0, gasLimit: Int? = nil) async throws -> TransactionRequest {
        let nonce = try await client.transactionCount(address)
        let gas: Int
        if let gasLimit {
            gas = gasLimit
        } else {
            // A margin over the estimate: state may change between estimate and inclusion.
            gas = try await client.estimateGas(from: address, to: to, data: data, value: value) * 6 / 5
        }
        let fees: TransactionRequest.Fees
        if let base = try await client.latestBlock()?.baseFeePerGas {
            let tip = (try? await client.maxPriorityFeePerGas()) ?? 1_000_000_000
            fees = .eip1559(maxFeePerGas: base * 2 + tip, maxPriorityFeePerGas: tip)
        } else {
            fees = .legacy(gasPrice: try await client.gasPrice())
        }
        return TransactionRequest(chainId: chainId, nonce: nonce, fees: fees, gasLimit: gas, to: to, value: value, data: data)
    }

    /// Signs and sends `request`, then waits for its receipt; throws when it reverted.
    public func send(_ request: TransactionRequest, timeout: Duration = .seconds(60)) async throws -> TransactionReceipt {
        let signed = request.signed(with: key)
        let hash = try await client.sendRawTransaction(signed)
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let receipt = try await client.transactionReceipt(hash) {
                guard receipt.status == 1 else { throw Failure.reverted(hash) }
                return receipt
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Failure.notMined(hash)
    }

    /// Calls `function` on `contract` in a transaction.
    public func transact(_ function: ABIFunction, on contract: EthereumAddress, _ arguments: [ABIValue],
                         gasLimit: Int? = nil) async throws -> TransactionReceipt {
        let request = try await prepare(to: contract, data: try function.callData(arguments), gasLimit: gasLimit)
        return try await send(request)
    }
}
