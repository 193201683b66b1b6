import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SluiceCore
import SluiceCrypto
@testable import SluiceProvider
import Testing

/// Aquarius's routes as ocean-lib calls them.
@Suite("The metadata cache routes")
struct MetadataCacheTests {
    /// A DDO as ocean-lib's create_url_asset builds it, for `nft` on chain 8996.
    static func ddo(nft: EthereumAddress = EthereumAddress("0x5CF7F96627F3C9903763d128A1cc5D97556A6b99")!) -> [String: JSONValue] {
        [
            "@context": .array([.string("https://w3id.org/did/v1")]),
            "id": .string(DID.derive(nftAddress: nft, chainId: 8996).text), "version": .string("4.1.0"),
            "chainId": .integer(8996), "nftAddress": .string(nft.checksummed),
            "metadata": .object(["created": .string("2026-12-01T20:30:00"), "updated": .string("2026-12-01T20:30:00"),
                                 "description": .string("Branin"), "name": .string("Branin dataset"), "type": .string("dataset"),
                                 "author": .string("alice"), "license": .string("CC0: PublicDomain")]),
            "services": .array([.object([
                "id": .string("0"), "type": .string("access"), "serviceEndpoint": .string("http://127.0.0.1:8030"),
                "datatokenAddress": .string("0x2B995A16F2315e04363409505d86CDa86c705ac1"), "files": .string("0x04ab"),
                "timeout": .integer(0)])]),
            "credentials": .object(["allow": .array([]), "deny": .array([])]),
        ]
    }

    @Test func unknownDIDsGetAquariussSentence() async throws {
        let t = try await TestNode()
        try await t.test { client in
            let did = "did:op:" + String(repeating: "0a", count: 32)
            for uri in ["/api/aquarius/assets/ddo/\(did)", "/api/aquarius/assets/metadata/\(did)"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                let text = String(buffer: response.body)
                // ocean-lib's ddo_exists reads exactly this sentence as "not registered".
                #expect(text.contains("not found in Elasticsearch"), "\(uri): \(text)")
                #expect(response.headers[.contentType] == "application/json")
            }
        }
    }

    @Test func aValidDDOGetsItsHashAndTheNodesProof() async throws {
        let t = try await TestNode()
        try await t.test { client in
            let body = Array(JSONValue.object(Self.ddo()).compactJSON().utf8)
            let response = try await client.execute(uri: "/api/aquarius/assets/ddo/validate", method: .post,
                                                    headers: [.contentType: "application/octet-stream"], body: ByteBuffer(bytes: body))
            #expect(response.status == .ok)
            let json = try #require(response.json)
            let hash = SHA256Hex.digest(of: body)
            #expect(json["hash"]?.stringValue == Hex.encode(hash, prefix: true))
            #expect(json["publicKey"]?.stringValue == t.key.address.checksummed)
            let r = try #require(json["r"]?.arrayValue?.first?.stringValue.flatMap { Hex.decode($0) })
            let s = try #require(json["s"]?.arrayValue?.first?.stringValue.flatMap { Hex.decode($0) })
            let v = try #require(json["v"]?.int64Value)
            #expect(v == 27 || v == 28)
            let signer = try PersonalSign.recoverSigner(ofHash: hash, signature: RecoverableSignature(rsv: r + s + [UInt8(v)]))
            #expect(signer == t.key.address)
        }
    }

    @Test func anInvalidDDOGetsEveryProblemByField() async throws {
        let t = try await TestNode()
        try await t.test { client in
            var broken = Self.ddo()
            broken["chainId"] = .string("8996")
            broken["services"] = .array([.object(["id": .string("0"), "type": .string("access")])])
            let response = try await client.execute(uri: "/api/aquarius/assets/ddo/validate", method: .post,
                                                    body: ByteBuffer(string: JSONValue.object(broken).compactJSON()))
            #expect(response.status == .badRequest)
            let errors = try #require(response.json?["errors"]?.objectValue)
            #expect(Set(errors.keys).isSuperset(of: ["chainId", "services[0].files", "services[0].timeout", "services[0].datatokenAddress"]))
            #expect(response.json?["error"]?.stringValue?.hasPrefix("the DDO is not valid") == true)

            var otherChain = Self.ddo()
            otherChain["chainId"] = .integer(1)
            otherChain["id"] = .string(DID.derive(nftAddress: EthereumAddress("0x5CF7F96627F3C9903763d128A1cc5D97556A6b99")!, chainId: 1).text)
            let wrongChain = try await client.execute(uri: "/api/aquarius/assets/ddo/validate", method: .post,
                                                      body: ByteBuffer(string: JSONValue.object(otherChain).compactJSON()))
            #expect(wrongChain.status == .badRequest)
            #expect(wrongChain.json?["errors"]?["chainId"] != nil)

            let notJSON = try await client.execute(uri: "/api/aquarius/assets/ddo/validate", method: .post, body: ByteBuffer(string: "{nope"))
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.json?["error"] != nil)
        }
    }

    @Test func publishedAssetsAreFoundByQueryAndTheirMetadataResolves() async throws {
        let t = try await TestNode()
        try await t.test { client in
            let alice = Wallet()
            let p = try await AssetFlowTests.publishBoth(client, alice: alice)
            let search = try await client.postJSON("/api/aquarius/assets/query", .object(["query": .object(["query_string": .object(["query": .string("Branin")])])]))
            #expect(search.status == .ok)
            let hits = try #require(search.json?["hits"]?["hits"]?.arrayValue)
            #expect(hits.compactMap { $0["_source"]?["id"]?.stringValue } == [p.dataset.id.text])
            #expect(search.json?["hits"]?["total"]?["value"] == .integer(1))

            let algorithms = try await client.postJSON("/api/aquarius/assets/query", .object(["query": .object(["bool": .object([
                "filter": .array([.object(["term": .object(["metadata.type": .string("algorithm")])])])])])]))
            #expect(algorithms.json?["hits"]?["hits"]?.arrayValue?.compactMap { $0["_id"]?.stringValue } == [p.algorithm.id.text])

            let unsupported = try await client.postJSON("/api/aquarius/assets/query", .object(["query": .object(["wildcard": .object(["id": .string("*")])])]))
            #expect(unsupported.status == .badRequest)
            #expect(unsupported.json?["field"]?.stringValue == "query.wildcard")

            let metadata = try await client.get("/api/aquarius/assets/metadata/\(p.dataset.id.text)")
            #expect(metadata.status == .ok)
            #expect(metadata.json?["name"]?.stringValue == p.dataset.metadata.name)
        }
    }
}
