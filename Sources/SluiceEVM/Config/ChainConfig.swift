import Foundation
public import SluiceCore

/// One EVM chain the node serves, from a JSON file (`sluice serve --chain <file>`):
///
///     {"rpcUrl": "http://127.0.0.1:8545", "chainId": 8996,
///      "contracts": {"ERC721Factory": "0x..."}, "startBlock": 0, "confirmations": 2}
///
/// `contracts` may be the whole map Ocean's `address.json` or the test harness gives;
/// only `ERC721Factory` is read.
public struct ChainConfig: Sendable, Equatable {
    public var rpcUrl: String
    public var chainId: Int
    /// When set, only data NFTs this factory created are indexed (Ocean's Aquarius does the same).
    public var nftFactory: EthereumAddress?
    public var startBlock: Int
    /// Blocks behind the head that the indexer stays, so reorganisations shallower than
    /// this never touch what it applied.
    public var confirmations: Int
    public var pollInterval: Duration
    /// Per request. AsyncHTTPClient keeps reconnecting to a refused port until this
    /// deadline, so a chain that is down costs (retries + 1) × this before a 503.
    public var requestTimeout: Duration
    public var retries: Int
    /// Blocks per `eth_getLogs` query.
    public var logBatchBlocks: Int
    /// When not empty, a published document is indexed only if its transaction carries a
    /// `MetadataValidated` proof signed by one of these (Aquarius's `ALLOWED_VALIDATORS`).
    public var allowedValidators: Set<EthereumAddress> = []

    public init(rpcUrl: String, chainId: Int, nftFactory: EthereumAddress? = nil, startBlock: Int = 0, confirmations: Int = 0,
                pollInterval: Duration = .seconds(2), requestTimeout: Duration = .seconds(5), retries: Int = 1,
                logBatchBlocks: Int = 2000) {
        self.rpcUrl = rpcUrl
        self.chainId = chainId
        self.nftFactory = nftFactory
        self.startBlock = startBlock
        self.confirmations = confirmations
        self.pollInterval = pollInterval
        self.requestTimeout = requestTimeout
        self.retries = retries
        self.logBatchBlocks = logBatchBlocks
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses and checks the JSON; the message names the key at fault.
    public static func parse(_ bytes: [UInt8]) throws(Invalid) -> ChainConfig {
        guard let json = try? JSONValue.parse(bytes), let o = json.objectValue else {
            throw Invalid(description: "the chain config is not a JSON object")
        }
        let known: Set = ["rpcUrl", "chainId", "contracts", "startBlock", "confirmations", "pollIntervalSeconds",
                          "requestTimeoutSeconds", "retries", "logBatchBlocks", "allowedValidators"]
        if let unknown = o.keys.sorted().first(where: { !known.contains($0) }) {
            throw Invalid(description: "chain config: unknown key \"\(unknown)\"")
        }
        guard let url = o["rpcUrl"]?.stringValue, let parts = URLComponents(string: url),
              parts.scheme == "http" || parts.scheme == "https", parts.host?.isEmpty == false else {
            throw Invalid(description: "chain config: rpcUrl must be an http(s) URL")
        }
        guard let chainId = o["chainId"]?.int64Value, chainId > 0, chainId < Int64(Int32.max) else {
            throw Invalid(description: "chain config: chainId must be a positive integer")
        }
        var config = ChainConfig(rpcUrl: url, chainId: Int(chainId))
        if let contracts = o["contracts"], !contracts.isNull {
            guard contracts.objectValue != nil else { throw Invalid(description: "chain config: contracts must be an object") }
            if let factory = contracts["ERC721Factory"] {
                guard let text = factory.stringValue, let address = EthereumAddress(text) else {
                    throw Invalid(description: "chain config: contracts.ERC721Factory must be an address")
                }
                config.nftFactory = address
            }
        }
        if let list = o["allowedValidators"], !list.isNull {
            guard let items = list.arrayValue else { throw Invalid(description: "chain config: allowedValidators must be a list of addresses") }
            for (i, item) in items.enumerated() {
                guard let text = item.stringValue, let address = EthereumAddress(text) else {
                    throw Invalid(description: "chain config: allowedValidators[\(i)] must be an address")
                }
                config.allowedValidators.insert(address)
            }
        }
        config.startBlock = try integer(o, "startBlock", default: 0, range: 0...Int(Int64.max))
        config.confirmations = try integer(o, "confirmations", default: 0, range: 0...1000)
        config.pollInterval = .milliseconds(try number(o, "pollIntervalSeconds", default: 2, range: 0.05...3600) * 1000)
        config.requestTimeout = .milliseconds(try number(o, "requestTimeoutSeconds", default: 5, range: 0.1...600) * 1000)
        config.retries = try integer(o, "retries", default: 1, range: 0...10)
        config.logBatchBlocks = try integer(o, "logBatchBlocks", default: 2000, range: 1...100_000)
        return config
    }

    static func integer(_ o: [String: JSONValue], _ key: String, default value: Int, range: ClosedRange<Int>) throws(Invalid) -> Int {
        guard let v = o[key], !v.isNull else { return value }
        guard let i = v.int64Value, let n = Int(exactly: i), range.contains(n) else {
            throw Invalid(description: "chain config: \(key) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return n
    }

    static func number(_ o: [String: JSONValue], _ key: String, default value: Double, range: ClosedRange<Double>) throws(Invalid) -> Double {
        guard let v = o[key], !v.isNull else { return value }
        guard let d = v.doubleValue, range.contains(d) else {
            throw Invalid(description: "chain config: \(key) must be a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return d
    }

    public var rpc: RPCConfiguration {
        RPCConfiguration(url: rpcUrl, requestTimeout: requestTimeout, retries: retries)
    }
}
