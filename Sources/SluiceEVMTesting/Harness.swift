import Foundation
import SluiceCore
import SluiceCrypto
import SluiceEVM

/// The EVM harness `scripts/evm-harness.sh start` runs: its boot JSON and an RPC client.
/// Tests that need it are disabled when SLUICE_EVM_HARNESS_JSON is unset, and fail
/// (never skip) when it is set but the harness cannot be used. Shared by the EVM and
/// provider test targets.
public struct Harness: Sendable {
    public static var configured: Bool { ProcessInfo.processInfo.environment["SLUICE_EVM_HARNESS_JSON"] != nil }
    /// For `.enabled(if: Harness.configured, Comment(rawValue: Harness.disabledReason))`.
    public static let disabledReason = "SLUICE_EVM_HARNESS_JSON is not set: eval \"$(scripts/evm-harness.sh start)\" first"

    public struct Unusable: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public let info: JSONValue
    public let client: JSONRPCClient
    public let chainId: Int
    /// The key the harness was started with: the node under test signs fees with it.
    public let providerKey: PrivateKey

    public static func load() throws -> Harness {
        guard let path = ProcessInfo.processInfo.environment["SLUICE_EVM_HARNESS_JSON"] else {
            throw Unusable(description: "SLUICE_EVM_HARNESS_JSON is not set")
        }
        guard let data = FileManager.default.contents(atPath: path), let info = try? JSONValue.parse(Array(data)) else {
            throw Unusable(description: "cannot read the harness JSON at \(path)")
        }
        guard let url = info["rpcUrl"]?.stringValue, let chainId = info["chainId"]?.int64Value,
              let keyText = info["accounts"]?["provider"]?["privateKey"]?.stringValue, let key = PrivateKey(hex: keyText) else {
            throw Unusable(description: "the harness JSON lacks rpcUrl, chainId or the provider key")
        }
        let client = JSONRPCClient(configuration: RPCConfiguration(url: url, requestTimeout: .seconds(30), retries: 1))
        return Harness(info: info, client: client, chainId: Int(chainId), providerKey: key)
    }

    public func account(_ role: String) throws -> (address: EthereumAddress, key: PrivateKey) {
        guard let text = info["accounts"]?[role]?["privateKey"]?.stringValue, let key = PrivateKey(hex: text) else {
            throw Unusable(description: "no \(role) account in the harness JSON")
        }
        return (key.address, key)
    }

    public var factory: EthereumAddress? { info["contracts"]?["ERC721Factory"]?.stringValue.flatMap { EthereumAddress($0) } }

    /// A harness test helper (`harness_*`).
    public func helper(_ method: String, _ params: [String: JSONValue]) async throws -> JSONValue {
        try await client.call(method, [.object(params)])
    }

    /// A fresh data NFT with one datatoken, the publisher as owner and minter.
    public func createAsset() async throws -> (nft: EthereumAddress, datatoken: EthereumAddress) {
        // The helper signs with the harness's publisher, which concurrent suites share.
        let r = try await retryingNonce { try await helper("harness_createAsset", [:]) }
        guard let nft = r["nftAddress"]?.stringValue.flatMap({ EthereumAddress($0) }),
              let dt = r["datatokenAddress"]?.stringValue.flatMap({ EthereumAddress($0) }) else {
            throw Unusable(description: "harness_createAsset answered \(r)")
        }
        return (nft, dt)
    }

    /// `startOrder` through the harness with `fee` (signed by whoever the test chooses).
    public func startOrder(datatoken: EthereumAddress, consumer: EthereumAddress, payer: EthereumAddress, serviceIndex: Int,
                    fee: ProviderFee) async throws -> String {
        let r = try await helper("harness_startOrder", [
            "datatoken": .string(datatoken.checksummed), "consumer": .string(consumer.checksummed),
            "payer": .string(payer.checksummed), "serviceIndex": .integer(Int64(serviceIndex)), "providerFee": fee.json,
        ])
        guard let tx = r["txHash"]?.stringValue else { throw Unusable(description: "harness_startOrder answered \(r)") }
        return tx
    }

    public func reuseOrder(_ orderTx: String, datatoken: EthereumAddress, payer: EthereumAddress, fee: ProviderFee) async throws -> String {
        let r = try await helper("harness_reuseOrder", [
            "orderTxId": .string(orderTx), "datatoken": .string(datatoken.checksummed), "payer": .string(payer.checksummed),
            "providerFee": fee.json,
        ])
        guard let tx = r["txHash"]?.stringValue else { throw Unusable(description: "harness_reuseOrder answered \(r)") }
        return tx
    }

}

