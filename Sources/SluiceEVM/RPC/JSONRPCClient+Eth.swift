public import SluiceCore

/// The `eth_` methods Sluice uses, typed.
extension JSONRPCClient {
    func decoded<T>(_ method: String, _ params: [JSONValue], _ read: (JSONValue) throws -> T) async throws(RPCError) -> T {
        let result = try await call(method, params)
        do {
            return try read(result)
        } catch let failure as RPCDecode.Failure {
            throw .malformed(method: method, detail: failure.detail)
        } catch {
            throw .malformed(method: method, detail: "\(error)")
        }
    }

    public func chainId() async throws(RPCError) -> Int {
        try await decoded("eth_chainId", []) { try RPCDecode.int($0, "chain id") }
    }

    public func blockNumber() async throws(RPCError) -> Int {
        try await decoded("eth_blockNumber", []) { try RPCDecode.int($0, "block number") }
    }

    /// nil for an unknown or not yet mined transaction.
    public func transactionReceipt(_ hash: String) async throws(RPCError) -> TransactionReceipt? {
        try await decoded("eth_getTransactionReceipt", [.string(hash)]) { $0.isNull ? nil : try RPCDecode.receipt($0) }
    }

    public func transaction(_ hash: String) async throws(RPCError) -> EVMTransaction? {
        try await decoded("eth_getTransactionByHash", [.string(hash)]) { $0.isNull ? nil : try RPCDecode.transaction($0) }
    }

    /// A block's header; nil when the chain has no such block (yet).
    public func block(_ number: Int) async throws(RPCError) -> BlockHeader? {
        try await decoded("eth_getBlockByNumber", [.string(UInt256(number).hexQuantity), .bool(false)]) {
            $0.isNull ? nil : try RPCDecode.block($0)
        }
    }

    public func latestBlock() async throws(RPCError) -> BlockHeader? {
        try await decoded("eth_getBlockByNumber", [.string("latest"), .bool(false)]) { $0.isNull ? nil : try RPCDecode.block($0) }
    }

    /// `eth_call` of `data` on `to` at `block` (`latest` by default).
    public func call(to: EthereumAddress, data: [UInt8], from: EthereumAddress? = nil, block: String = "latest") async throws(RPCError) -> [UInt8] {
        var tx: [String: JSONValue] = ["to": .string(to.lowercased), "data": .string(Hex.encode(data, prefix: true))]
        if let from { tx["from"] = .string(from.lowercased) }
        return try await decoded("eth_call", [.object(tx), .string(block)]) { try RPCDecode.bytes($0, "call result") }
    }

    /// Calls a view function and decodes its outputs.
    public func call(_ function: ABIFunction, on contract: EthereumAddress, _ arguments: [ABIValue] = []) async throws -> [ABIValue] {
        let output = try await call(to: contract, data: try function.callData(arguments))
        return try function.decodeOutput(output)
    }

    /// Logs of blocks `from...to`; `topics[0]` is a list of accepted event topics.
    public func logs(from: Int, to: Int, addresses: [EthereumAddress] = [], topics: [[[UInt8]]] = []) async throws(RPCError) -> [EVMLog] {
        var filter: [String: JSONValue] = [
            "fromBlock": .string(UInt256(from).hexQuantity), "toBlock": .string(UInt256(to).hexQuantity),
        ]
        if !addresses.isEmpty { filter["address"] = .array(addresses.map { .string($0.lowercased) }) }
        if !topics.isEmpty {
            filter["topics"] = .array(topics.map { alternatives in
                alternatives.isEmpty ? .null : .array(alternatives.map { .string(Hex.encode($0, prefix: true)) })
            })
        }
        return try await decoded("eth_getLogs", [.object(filter)]) { v in
            guard let list = v.arrayValue else { throw RPCDecode.Failure(detail: "not a list") }
            return try list.map(RPCDecode.log)
        }
    }

    /// Sends a signed transaction; returns its hash.
    public func sendRawTransaction(_ tx: SignedTransaction) async throws(RPCError) -> String {
        try await decoded("eth_sendRawTransaction", [.string(tx.rawHex)]) { try RPCDecode.hash($0, "transaction hash") }
    }

    /// The next nonce of `address`, counting pending transactions.
    public func transactionCount(_ address: EthereumAddress, block: String = "pending") async throws(RPCError) -> Int {
        try await decoded("eth_getTransactionCount", [.string(address.lowercased), .string(block)]) { try RPCDecode.int($0, "nonce") }
    }

    public func gasPrice() async throws(RPCError) -> UInt128 {
        try await decoded("eth_gasPrice", []) { try RPCDecode.uint128($0, "gas price") }
    }

    public func maxPriorityFeePerGas() async throws(RPCError) -> UInt128 {
        try await decoded("eth_maxPriorityFeePerGas", []) { try RPCDecode.uint128($0, "priority fee") }
    }

    public func estimateGas(from: EthereumAddress, to: EthereumAddress?, data: [UInt8], value: UInt128 = 0) async throws(RPCError) -> Int {
        var tx: [String: JSONValue] = ["from": .string(from.lowercased), "data": .string(Hex.encode(data, prefix: true)),
                                       "value": .string(UInt256(value).hexQuantity)]
        if let to { tx["to"] = .string(to.lowercased) }
        return try await decoded("eth_estimateGas", [.object(tx)]) { try RPCDecode.int($0, "gas") }
    }
}
