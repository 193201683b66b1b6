public import SluiceCore

/// A log entry of a receipt or of `eth_getLogs`.
public struct EVMLog: Sendable, Equatable {
    public var address: EthereumAddress
    public var topics: [[UInt8]]
    public var data: [UInt8]
    public var blockNumber: Int
    public var blockHash: String
    public var transactionHash: String
    public var logIndex: Int
    public var removed: Bool
}

public struct TransactionReceipt: Sendable, Equatable {
    public var transactionHash: String
    /// 1 success, 0 reverted.
    public var status: Int
    public var blockNumber: Int
    public var blockHash: String
    public var from: EthereumAddress
    public var to: EthereumAddress?
    public var contractAddress: EthereumAddress?
    public var logs: [EVMLog]
}

public struct EVMTransaction: Sendable, Equatable {
    public var hash: String
    public var from: EthereumAddress
    public var to: EthereumAddress?
    public var nonce: Int
    /// nil while pending.
    public var blockNumber: Int?
    public var input: [UInt8]
}

public struct BlockHeader: Sendable, Equatable {
    public var number: Int
    public var hash: String
    public var timestamp: Int
    /// nil before London.
    public var baseFeePerGas: UInt128?
}

/// Reading the JSON-RPC shapes: quantities are `0x` hex, data is `0x` hex bytes.
enum RPCDecode {
    struct Failure: Error { let detail: String }

    static func quantity(_ v: JSONValue?, _ name: String) throws -> UInt256 {
        guard let s = v?.stringValue, let q = UInt256(hexQuantity: s) else { throw Failure(detail: "\(name) is not a hex quantity") }
        return q
    }

    static func int(_ v: JSONValue?, _ name: String) throws -> Int {
        guard let i = try quantity(v, name).int else { throw Failure(detail: "\(name) is too large") }
        return i
    }

    static func uint128(_ v: JSONValue?, _ name: String) throws -> UInt128 {
        guard let i = try quantity(v, name).uint128 else { throw Failure(detail: "\(name) is too large") }
        return i
    }

    static func bytes(_ v: JSONValue?, _ name: String) throws -> [UInt8] {
        guard let s = v?.stringValue, s.hasPrefix("0x"), let b = Hex.decode(s) else { throw Failure(detail: "\(name) is not hex data") }
        return b
    }

    static func address(_ v: JSONValue?, _ name: String) throws -> EthereumAddress {
        guard let s = v?.stringValue, let a = EthereumAddress(s) else { throw Failure(detail: "\(name) is not an address") }
        return a
    }

    static func optionalAddress(_ v: JSONValue?, _ name: String) throws -> EthereumAddress? {
        guard let v, !v.isNull else { return nil }
        return try address(v, name)
    }

    static func hash(_ v: JSONValue?, _ name: String) throws -> String {
        let b = try bytes(v, name)
        guard b.count == 32 else { throw Failure(detail: "\(name) is not a 32-byte hash") }
        return Hex.encode(b, prefix: true)
    }

    static func log(_ v: JSONValue) throws -> EVMLog {
        guard let topics = v["topics"]?.arrayValue else { throw Failure(detail: "a log has no topics") }
        return EVMLog(
            address: try address(v["address"], "log address"),
            topics: try topics.map { try bytes($0, "topic") },
            data: try bytes(v["data"], "log data"),
            blockNumber: try int(v["blockNumber"], "log blockNumber"),
            blockHash: try hash(v["blockHash"], "log blockHash"),
            transactionHash: try hash(v["transactionHash"], "log transactionHash"),
            logIndex: try int(v["logIndex"], "logIndex"),
            removed: v["removed"]?.boolValue ?? false)
    }

    static func receipt(_ v: JSONValue) throws -> TransactionReceipt {
        guard let logs = v["logs"]?.arrayValue else { throw Failure(detail: "the receipt has no logs") }
        return TransactionReceipt(
            transactionHash: try hash(v["transactionHash"], "transactionHash"),
            status: try int(v["status"], "status"),
            blockNumber: try int(v["blockNumber"], "blockNumber"),
            blockHash: try hash(v["blockHash"], "blockHash"),
            from: try address(v["from"], "from"),
            to: try optionalAddress(v["to"], "to"),
            contractAddress: try optionalAddress(v["contractAddress"], "contractAddress"),
            logs: try logs.map(log))
    }

    static func transaction(_ v: JSONValue) throws -> EVMTransaction {
        let block = v["blockNumber"]
        return EVMTransaction(
            hash: try hash(v["hash"], "hash"),
            from: try address(v["from"], "from"),
            to: try optionalAddress(v["to"], "to"),
            nonce: try int(v["nonce"], "nonce"),
            blockNumber: block == nil || block == .null ? nil : try int(block, "blockNumber"),
            input: try bytes(v["input"] ?? v["data"], "input"))
    }

    static func block(_ v: JSONValue) throws -> BlockHeader {
        let base = v["baseFeePerGas"]
        return BlockHeader(
            number: try int(v["number"], "number"),
            hash: try hash(v["hash"], "hash"),
            timestamp: try int(v["timestamp"], "timestamp"),
            baseFeePerGas: base == nil || base == .null ? nil : try uint128(base, "baseFeePerGas"))
    }
}
