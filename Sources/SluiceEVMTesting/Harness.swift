import Foundation
import SluiceCore
import SluiceCrypto
import SluiceStore
import Testing
@testable import SluiceEVM

/// The EVM harness `scripts/evm-harness.sh start` runs: its boot JSON and an RPC client.
/// Tests that need it are disabled when SLUICE_EVM_HARNESS_JSON is unset, and fail
/// (never skip) when it is set but the harness cannot be used.
struct Harness: Sendable {
    static var configured: Bool { ProcessInfo.processInfo.environment["SLUICE_EVM_HARNESS_JSON"] != nil }
    static let disabledReason: Comment = "SLUICE_EVM_HARNESS_JSON is not set: eval \"$(scripts/evm-harness.sh start)\" first"

    struct Unusable: Error, CustomStringConvertible { let description: String }

    let info: JSONValue
    let client: JSONRPCClient
    let chainId: Int
    /// The key the harness was started with: the node under test signs fees with it.
    let providerKey: PrivateKey

    static func load() throws -> Harness {
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

    func account(_ role: String) throws -> (address: EthereumAddress, key: PrivateKey) {
        guard let text = info["accounts"]?[role]?["privateKey"]?.stringValue, let key = PrivateKey(hex: text) else {
            throw Unusable(description: "no \(role) account in the harness JSON")
        }
        return (key.address, key)
    }

    var factory: EthereumAddress? { info["contracts"]?["ERC721Factory"]?.stringValue.flatMap { EthereumAddress($0) } }

    /// A harness test helper (`harness_*`).
    func helper(_ method: String, _ params: [String: JSONValue]) async throws -> JSONValue {
        try await client.call(method, [.object(params)])
    }

    /// A fresh data NFT with one datatoken, the publisher as owner and minter.
    func createAsset() async throws -> (nft: EthereumAddress, datatoken: EthereumAddress) {
        let r = try await helper("harness_createAsset", [:])
        guard let nft = r["nftAddress"]?.stringValue.flatMap({ EthereumAddress($0) }),
              let dt = r["datatokenAddress"]?.stringValue.flatMap({ EthereumAddress($0) }) else {
            throw Unusable(description: "harness_createAsset answered \(r)")
        }
        return (nft, dt)
    }

    /// `startOrder` through the harness with `fee` (signed by whoever the test chooses).
    func startOrder(datatoken: EthereumAddress, consumer: EthereumAddress, payer: EthereumAddress, serviceIndex: Int,
                    fee: ProviderFee) async throws -> String {
        let r = try await helper("harness_startOrder", [
            "datatoken": .string(datatoken.checksummed), "consumer": .string(consumer.checksummed),
            "payer": .string(payer.checksummed), "serviceIndex": .integer(Int64(serviceIndex)), "providerFee": Self.json(fee),
        ])
        guard let tx = r["txHash"]?.stringValue else { throw Unusable(description: "harness_startOrder answered \(r)") }
        return tx
    }

    func reuseOrder(_ orderTx: String, datatoken: EthereumAddress, payer: EthereumAddress, fee: ProviderFee) async throws -> String {
        let r = try await helper("harness_reuseOrder", [
            "orderTxId": .string(orderTx), "datatoken": .string(datatoken.checksummed), "payer": .string(payer.checksummed),
            "providerFee": Self.json(fee),
        ])
        guard let tx = r["txHash"]?.stringValue else { throw Unusable(description: "harness_reuseOrder answered \(r)") }
        return tx
    }

    static func json(_ fee: ProviderFee) -> JSONValue {
        .object([
            "providerFeeAddress": .string(fee.providerFeeAddress), "providerFeeToken": .string(fee.providerFeeToken),
            "providerFeeAmount": .string(fee.providerFeeAmount), "providerData": .string(fee.providerData),
            "v": .integer(Int64(fee.v)), "r": .string(fee.r), "s": .string(fee.s), "validUntil": .integer(Int64(fee.validUntil)),
        ])
    }
}

/// One asset published on the harness chain with `setMetaData` signed by SluiceEVM, and
/// indexed into an in-memory store: shared by the tests of a run.
actor PublishedAsset {
    static let shared = PublishedAsset()

    struct Value: Sendable {
        let harness: Harness
        let store: SQLiteStore
        let did: DID
        let nft: EthereumAddress
        let datatoken: EthereumAddress
        let ddo: DDO
        let serviceId: String
    }

    private var value: Value?

    func get() async throws -> Value {
        if let value { return value }
        let harness = try Harness.load()
        let (nft, datatoken) = try await harness.createAsset()
        let did = DID.derive(nftAddress: nft, chainId: harness.chainId)
        let serviceId = "compute-1"
        let files = try ECIES.encrypt(Array(JSONValue.object([
            "nftAddress": .string(nft.checksummed), "datatokenAddress": .string(datatoken.checksummed),
            "files": .array([.object(["type": .string("url"), "url": .string("https://example.org/data.csv"), "method": .string("GET")])]),
        ]).compactJSON().utf8), to: harness.providerKey.publicKey)
        let document = JSONValue.object([
            "@context": .array([.string("https://w3id.org/did/v1")]), "id": .string(did.text), "version": .string("4.1.0"),
            "chainId": .integer(Int64(harness.chainId)), "nftAddress": .string(nft.checksummed),
            "metadata": .object([
                "created": .string("2026-01-01T00:00:00Z"), "updated": .string("2026-01-01T00:00:00Z"),
                "type": .string("dataset"), "name": .string("Harness dataset"), "description": .string("Published by SluiceEVM's tests"),
                "author": .string("Sluice"), "license": .string("CC0"),
            ]),
            "services": .array([.object([
                "id": .string(serviceId), "type": .string("compute"), "files": .string(Hex.encode(files, prefix: true)),
                "datatokenAddress": .string(datatoken.checksummed), "serviceEndpoint": .string("http://127.0.0.1:8030"),
                "timeout": .integer(3600),
                "compute": .object(["allowRawAlgorithm": .bool(true), "allowNetworkAccess": .bool(false),
                                    "publisherTrustedAlgorithmPublishers": .array([]), "publisherTrustedAlgorithms": .array([])]),
            ])]),
        ]).compactJSON()
        let publication = try MetadataPublication(document: Array(document.utf8), provider: harness.providerKey.publicKey)
        let publisher = try harness.account("publisher")
        let sender = TransactionSender(client: harness.client, chainId: harness.chainId, key: publisher.key)
        _ = try await sender.transact(OceanContracts.setMetaData, on: nft,
                                      publication.setMetaDataArguments(decryptorUrl: "http://127.0.0.1:8030",
                                                                       decryptorAddress: harness.providerKey.address))
        let store = try SQLiteStore.inMemory()
        let head = try await harness.client.blockNumber()
        // Start a little before the publication so the run reads only recent blocks.
        let config = ChainConfig(rpcUrl: harness.client.configuration.url, chainId: harness.chainId, nftFactory: harness.factory,
                                 startBlock: max(0, head - 5))
        let indexer = MetadataIndexer(client: harness.client, config: config, store: store, key: harness.providerKey)
        try await indexer.syncOnce()
        guard let ddo = try await store.asset(did) else { throw Harness.Unusable(description: "the published asset was not indexed") }
        let v = Value(harness: harness, store: store, did: did, nft: nft, datatoken: datatoken, ddo: ddo, serviceId: serviceId)
        value = v
        return v
    }
}
