import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceEVM
import SluiceEVMTesting
import SluiceEngine
@testable import SluiceProvider
import SluiceStore
import Testing

/// A node that follows a chain: the embedded ledger's routes refuse with 409, `GET /`
/// says which ledger counts, and a chain that does not answer gives 503.
@Suite("A node that follows a chain")
struct ChainModeTests {
    /// A chain node whose chain never answers: the routes under test must not need it,
    /// or must answer 503 without naming the endpoint.
    static func node() async throws -> TestNode {
        let rpc = RPCConfiguration(url: ClosedPort.rpcURL(), requestTimeout: .seconds(1), retries: 0)
        return try await TestNode(ledger: EVMLedger(client: JSONRPCClient(configuration: rpc)))
    }

    @Test func discoveryNamesTheLedger() async throws {
        let chain = try await Self.node()
        try await chain.test { client in
            let root = try await client.get("/")
            #expect(root.json?["ledger"] == .string("evm"))
        }
        let embedded = try await TestNode()
        try await embedded.test { client in
            let root = try await client.get("/")
            #expect(root.json?["ledger"] == .string("embedded"))
        }
    }

    @Test func theEmbeddedLedgerRoutesAnswer409AndChangeNothing() async throws {
        let t = try await Self.node()
        let alice = Wallet()
        let did = "did:op:" + String(repeating: "ab", count: 32)
        let token = "0x" + String(repeating: "12", count: 20)
        let tx = "0x" + String(repeating: "34", count: 32)
        let fee: JSONValue = .object(["providerFeeAddress": .string(t.key.address.checksummed)])
        try await t.test { client in
            let writes: [(String, String, ByteBuffer)] = [
                ("POST", "/api/sluice/assets", alice.write("publish", AssetFlowTests.datasetDraft(files: "0x00"))),
                ("PUT", "/api/sluice/assets/\(did)", alice.write("update", AssetFlowTests.datasetDraft(files: "0x00"))),
                ("POST", "/api/sluice/assets/\(did)/trust", alice.write("trust", ["serviceId": .string("compute"), "publishers": .array([])])),
                ("POST", "/api/sluice/tokens/\(token)/mint", alice.write("mint", ["to": .string(alice.checksummed), "amount": .string("1")])),
                ("POST", "/api/sluice/tokens/\(token)/transfer", alice.write("transfer", ["to": .string(token), "amount": .string("1")])),
                ("POST", "/api/sluice/orders", alice.write("startOrder", ["datatoken": .string(token), "consumer": .string(alice.checksummed),
                                                                         "serviceIndex": .integer(0), "providerFee": fee])),
                ("POST", "/api/sluice/orders/\(tx)/reuse", alice.write("reuseOrder", ["providerFee": fee])),
            ]
            for (method, uri, body) in writes {
                let response = method == "PUT" ? try await client.put(uri, body) : try await client.post(uri, body)
                Self.expectFollowsChain(response, "\(method) \(uri)")
            }
            for uri in ["/api/sluice/tokens/\(token)", "/api/sluice/tokens/\(token)/balance?holder=\(alice.checksummed)",
                        "/api/sluice/orders/\(tx)"] {
                Self.expectFollowsChain(try await client.get(uri), "GET \(uri)")
            }
            // Refused before the signature was even read: no nonce was used.
            let nonce = try await client.get("/api/services/nonce?userAddress=\(alice.checksummed)")
            #expect(nonce.json == .object(["nonce": .integer(0)]))
            // Ocean's routes stay: a DDO lookup is answered from the index (none here).
            #expect(try await client.get("/api/aquarius/assets/ddo/\(did)").status == .notFound)
        }
    }

    static func expectFollowsChain(_ response: TestResponse, _ route: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == .conflict, "\(route): \(response.text)", sourceLocation: sourceLocation)
        let message = response.json?["error"]?.stringValue ?? ""
        #expect(message.contains("follows chain 8996") && message.contains("on the chain"), "\(route): \(message)",
                sourceLocation: sourceLocation)
    }

    @Test func aChainThatDoesNotAnswerGives503AndStartsNothing() async throws {
        let t = try await Self.node()
        let consumer = Wallet()
        // An indexed asset whose order cannot be looked up.
        let nft = EthereumAddress(suffixOf: [7, 7, 7])
        let datatoken = EthereumAddress(suffixOf: [8, 8, 8])
        let did = DID.derive(nftAddress: nft, chainId: 8996)
        let ddo = DDO(id: did, chainId: 8996, nftAddress: nft,
                      metadata: AssetMetadata(created: "2026-01-01T00:00:00Z", updated: "2026-01-01T00:00:00Z", type: .dataset,
                                              name: "Unreachable", description: "", author: "Sluice", license: "CC0"),
                      services: [AssetService(id: "compute", type: .compute, files: "0x00", datatokenAddress: datatoken,
                                              serviceEndpoint: "http://127.0.0.1:8030", timeout: 0, compute: ComputeOptions(allowRawAlgorithm: true))],
                      nft: NFTSummary(address: nft.checksummed, name: "NFT", symbol: "NFT", owner: nft.checksummed, created: "2026-01-01T00:00:00Z"),
                      datatokens: [])
        try await t.store.applyIndexed([ddo], cursor: ChainCursor(chainId: 8996, blockNumber: 1, blockHash: "0x" + String(repeating: "00", count: 32)))
        try await t.test { client in
            let nonce = consumer.nextNonce()
            let body = JSONValue.object([
                "consumerAddress": .string(consumer.checksummed), "nonce": .integer(Int64(nonce.value)),
                "signature": .string(PersonalSign.sign(message: consumer.checksummed + did.text, nonce: nonce, key: consumer.key).hex),
                "environment": .string("free-cpu"),
                "dataset": .object(["documentId": .string(did.text), "serviceId": .string("compute"),
                                    "transferTxId": .string("0x" + String(repeating: "ab", count: 32))]),
                "algorithm": ComputeScenario.rawAlgorithm("print(1)"),
            ])
            let response = try await client.postJSON("/api/services/compute", body)
            #expect(response.status == .serviceUnavailable, "\(response.text)")
            #expect(response.json?["field"]?.stringValue == "dataset.transferTxId")
            #expect(response.json?["error"]?.stringValue?.isEmpty == false)
            #expect(!response.text.contains("secret-api-key"))
            #expect(try await t.node.engine.jobs(owner: consumer.address).isEmpty)

            // initializeCompute asks the chain whether the order still pays: 503 as well.
            let initialize = try await client.postJSON("/api/services/initializeCompute", .object([
                "datasets": .array([.object(["documentId": .string(did.text), "serviceId": .string("compute"),
                                             "transferTxId": .string("0x" + String(repeating: "ab", count: 32))])]),
                "algorithm": .object(["meta": .object(["rawcode": .string("print(1)")])]),
                "compute": .object(["env": .string("free-cpu"), "validUntil": .integer(Int64(Date().timeIntervalSince1970) + 3600)]),
                "consumerAddress": .string(consumer.checksummed),
            ]))
            #expect(initialize.status == .serviceUnavailable, "\(initialize.text)")
            #expect(!initialize.text.contains("secret-api-key"))
        }
    }
}
