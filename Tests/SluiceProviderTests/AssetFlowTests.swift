import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceLedger
@testable import SluiceProvider
import Testing

/// Steps 1 to 4 of the seed's compute flow through HTTP: Alice publishes a dataset and an
/// algorithm, trusts the algorithm on the dataset, mints datatokens to Bob; Bob
/// initialises compute on the free environment and orders.
@Suite("Assets and the embedded ledger over HTTP")
struct AssetFlowTests {
    static let datasetURL = "https://example.org/secret/branin.arff"

    static func encrypt(_ client: any TestClientProtocol, _ files: JSONValue) async throws -> String {
        let response = try await client.post("/api/services/encrypt?chainId=8996", ByteBuffer(string: files.compactJSON()))
        #expect(response.status == .created)
        return response.text
    }

    static func datasetDraft(files: String, timeout: Int = 86400, trusted: [JSONValue] = []) -> [String: JSONValue] {
        [
            "metadata": .object([
                "type": .string("dataset"), "name": .string("Branin dataset"), "description": .string("Branin on a grid"),
                "author": .string("Alice"), "license": .string("CC0"),
            ]),
            "services": .array([
                .object(["id": .string("access"), "type": .string("access"), "files": .string(files), "timeout": .integer(86400)]),
                .object(["id": .string("compute"), "type": .string("compute"), "files": .string(files), "timeout": .integer(Int64(timeout)),
                         "compute": .object(["allowRawAlgorithm": .bool(false), "allowNetworkAccess": .bool(false),
                                             "publisherTrustedAlgorithms": .array(trusted)])]),
            ]),
        ]
    }

    static func algorithmDraft(files: String) -> [String: JSONValue] {
        [
            "metadata": .object([
                "type": .string("algorithm"), "name": .string("gpr"), "author": .string("Alice"), "license": .string("MIT"),
                "algorithm": .object(["language": .string("python"), "version": .string("0.1"),
                                      "container": .object(["entrypoint": .string("python $ALGO"), "image": .string("python"),
                                                            "tag": .string("3.11"),
                                                            "checksum": .string("sha256:" + String(repeating: "ab", count: 32))])]),
            ]),
            "services": .array([.object(["id": .string("0"), "type": .string("access"), "files": .string(files), "timeout": .integer(0)])]),
        ]
    }

    struct Published {
        let dataset: DDO
        let algorithm: DDO
    }

    static func publishBoth(_ client: any TestClientProtocol, alice: Wallet) async throws -> Published {
        let dataFiles = try await encrypt(client, .array([.object(["type": .string("url"), "url": .string(datasetURL), "method": .string("GET")])]))
        let algoFiles = try await encrypt(client, .array([.object(["type": .string("url"), "url": .string("https://example.org/gpr.py")])]))
        let d = try await client.post("/api/sluice/assets", alice.write("publish", datasetDraft(files: dataFiles)))
        #expect(d.status == .created, "\(d.text)")
        let a = try await client.post("/api/sluice/assets", alice.write("publish", algorithmDraft(files: algoFiles)))
        #expect(a.status == .created, "\(a.text)")
        return Published(dataset: try JSONDecoder().decode(DDO.self, from: Data(buffer: d.body)),
                         algorithm: try JSONDecoder().decode(DDO.self, from: Data(buffer: a.body)))
    }

    static func balance(_ client: any TestClientProtocol, _ token: EthereumAddress, _ holder: Wallet) async throws -> String? {
        try await client.get("/api/sluice/tokens/\(token)/balance?holder=\(holder.checksummed)").json?["balance"]?.stringValue
    }

    static let one = "1000000000000000000"
    static let five = "5000000000000000000"

    @Test func aliceAndBobWalkThroughStepsOneToFour() async throws {
        let t = try await TestNode()
        let alice = Wallet(), bob = Wallet()
        try await t.test { client in
            // 1, 2: publish
            let p = try await Self.publishBoth(client, alice: alice)
            let nft = p.dataset.nftAddress
            #expect(p.dataset.id == DID.derive(nftAddress: nft, chainId: 8996))
            #expect(p.dataset.nft.owner == alice.checksummed)
            #expect(p.dataset.services[1].serviceEndpoint == t.node.config.baseURL)
            let resolved = try await client.get("/api/aquarius/assets/ddo/\(p.dataset.id.text)")
            #expect(resolved.status == .ok)
            #expect(!resolved.text.contains("example.org"), "resolve never shows file URLs")
            #expect(try JSONDecoder().decode(DDO.self, from: Data(buffer: resolved.body)) == p.dataset)
            #expect(resolved.json?["@context"] != nil)

            // 3: trust the algorithm on the dataset's compute service
            let trusted = JSONValue.object(["did": .string(p.algorithm.id.text), "filesChecksum": .string(String(repeating: "0", count: 64)),
                                            "containerSectionChecksum": .string(SHA256Hex.of("python $ALGO" + "sha256:" + String(repeating: "ab", count: 32)))])
            var draft = Self.datasetDraft(files: p.dataset.services[0].files, trusted: [trusted])
            draft["services"] = .array([
                .object(["id": .string("access"), "type": .string("access"), "files": .string(p.dataset.services[0].files), "timeout": .integer(86400)]),
                .object(["id": .string("compute"), "type": .string("compute"), "files": .string(p.dataset.services[1].files), "timeout": .integer(86400),
                         "compute": .object(["publisherTrustedAlgorithms": .array([trusted])])]),
            ])
            let byBob = try await client.put("/api/sluice/assets/\(p.dataset.id.text)", bob.write("update", draft))
            #expect(byBob.status == .forbidden)
            let updated = try await client.put("/api/sluice/assets/\(p.dataset.id.text)", alice.write("update", draft))
            #expect(updated.status == .ok, "\(updated.text)")
            let after = try JSONDecoder().decode(DDO.self, from: Data(buffer: try await client.get("/api/aquarius/assets/ddo/\(p.dataset.id.text)").body))
            #expect(after.services[1].compute?.publisherTrustedAlgorithms.first?.did == p.algorithm.id.text)
            #expect(after.services[1].datatokenAddress == p.dataset.services[1].datatokenAddress)

            // 4: Alice mints to Bob; Bob cannot mint
            let dataToken = p.dataset.services[1].datatokenAddress
            let algoToken = p.algorithm.services[0].datatokenAddress
            let info = try await client.get("/api/sluice/tokens/\(dataToken)")
            #expect(info.json?["minter"]?.stringValue == alice.checksummed)
            for token in [dataToken, algoToken] {
                let minted = try await client.post("/api/sluice/tokens/\(token)/mint", alice.write("mint", ["to": .string(bob.checksummed), "amount": .string(Self.five)]))
                #expect(minted.status == .ok, "\(minted.text)")
            }
            let bobMints = try await client.post("/api/sluice/tokens/\(dataToken)/mint", bob.write("mint", ["to": .string(bob.checksummed), "amount": .string(Self.five)]))
            #expect(bobMints.status == .forbidden)
            #expect(try await Self.balance(client, dataToken, bob) == Self.five)

            // 5 (start): initializeCompute on the free environment, then order both
            let env = try #require(try await client.get("/api/services/computeEnvironments").json?.arrayValue?.first)
            let providerAddress = try #require(env["consumerAddress"]?.stringValue)
            let validUntil = t.clock.now() + 3600
            let initBody = JSONValue.object([
                "datasets": .array([.object(["documentId": .string(p.dataset.id.text), "serviceId": .string("compute")])]),
                "algorithm": .object(["documentId": .string(p.algorithm.id.text), "serviceId": .string("0")]),
                "compute": .object(["env": .string("free-cpu"), "validUntil": .integer(Int64(validUntil))]),
                "consumerAddress": .string(providerAddress),
            ])
            let initialized = try await client.postJSON("/api/services/initializeCompute", initBody)
            #expect(initialized.status == .ok, "\(initialized.text)")
            let dataInit = try #require(initialized.json?["datasets"]?.arrayValue?.first)
            #expect(dataInit["datatoken"]?.stringValue == dataToken.checksummed)
            #expect(dataInit["validOrder"] == nil)
            let feeJSON = try #require(dataInit["providerFee"])
            let fee = try JSONDecoder().decode(ProviderFee.self, from: Data(feeJSON.compactJSON().utf8))
            #expect(fee.providerFeeAmount == .zero)
            #expect(ProviderFees.signer(of: fee)?.checksummed == providerAddress, "any client can check the fee's v, r, s")
            let algoFee = try #require(initialized.json?["algorithm"]?["providerFee"])

            let dataOrder = try await client.post("/api/sluice/orders", bob.write("startOrder", [
                "datatoken": .string(dataToken.checksummed), "consumer": .string(providerAddress), "serviceIndex": .integer(1), "providerFee": feeJSON]))
            #expect(dataOrder.status == .created, "\(dataOrder.text)")
            let algoOrder = try await client.post("/api/sluice/orders", bob.write("startOrder", [
                "datatoken": .string(algoToken.checksummed), "consumer": .string(providerAddress), "serviceIndex": .integer(0), "providerFee": algoFee]))
            #expect(algoOrder.status == .created, "\(algoOrder.text)")
            let tx = try #require(dataOrder.json?["transactionId"]?.stringValue)
            #expect(tx.count == 66 && tx.hasPrefix("0x"))
            #expect(try await Self.balance(client, dataToken, bob) == "4000000000000000000")
            #expect(try await Self.balance(client, dataToken, alice) == Self.one)

            // The order now pays: initializeCompute answers validOrder, and it verifies for Bob.
            var again = initBody.objectValue ?? [:]
            again["datasets"] = .array([.object(["documentId": .string(p.dataset.id.text), "serviceId": .string("compute"), "transferTxId": .string(tx)])])
            let second = try await client.postJSON("/api/services/initializeCompute", .object(again))
            #expect(second.json?["datasets"]?.arrayValue?.first == .object(["validOrder": .string(tx)]))

            let order = try #require(try await t.node.embedded.storedOrder(tx))
            let context = OrderVerifier.Context(ddo: after, serviceIndex: 1, requester: bob.address,
                                                environment: t.node.config.environments[0], field: "dataset.transferTxId")
            #expect(throws: Never.self) { try t.node.orderVerifier.verify(order, original: nil, context: context) }
            var mallory = context
            mallory.requester = Wallet().address
            #expect(throws: RequestError.self) { try t.node.orderVerifier.verify(order, original: nil, context: mallory) }
            var otherEnv = context
            otherEnv.environment = ComputeEnvironment(id: "other")
            #expect(throws: RequestError.self) { try t.node.orderVerifier.verify(order, original: nil, context: otherEnv) }
            var otherService = context
            otherService.serviceIndex = 0
            #expect(throws: RequestError.self) { try t.node.orderVerifier.verify(order, original: nil, context: otherService) }
        }
    }

    @Test func refusalsChangeNothing() async throws {
        let t = try await TestNode()
        let alice = Wallet(), bob = Wallet()
        try await t.test { client in
            let p = try await Self.publishBoth(client, alice: alice)
            let dataToken = p.dataset.services[1].datatokenAddress
            _ = try await client.post("/api/sluice/tokens/\(dataToken)/mint", alice.write("mint", ["to": .string(bob.checksummed), "amount": .string(Self.one)]))

            // A replayed signed request: same body twice.
            let body = bob.write("transfer", ["to": .string(alice.checksummed), "amount": .string("1")])
            #expect(try await client.post("/api/sluice/tokens/\(dataToken)/transfer", body).status == .ok)
            let replay = try await client.post("/api/sluice/tokens/\(dataToken)/transfer", body)
            #expect(replay.status == .unauthorized)
            #expect(replay.json?["field"]?.stringValue == "nonce")
            #expect(try await Self.balance(client, dataToken, alice) == "1")

            // More than the balance.
            let tooMuch = try await client.post("/api/sluice/tokens/\(dataToken)/transfer", bob.write("transfer", ["to": .string(alice.checksummed), "amount": .string(Self.five)]))
            #expect(tooMuch.status == .badRequest)
            #expect(try await Self.balance(client, dataToken, bob) == "999999999999999999")

            // A signature made for another route.
            let crossRoute = try await client.post("/api/sluice/tokens/\(dataToken)/mint", bob.write("transfer", ["to": .string(bob.checksummed), "amount": .string("1")]))
            #expect(crossRoute.status == .badRequest)
            #expect(crossRoute.json?["field"]?.stringValue == "payload.action")

            // Unknown DIDs and tokens.
            #expect(try await client.get("/api/aquarius/assets/ddo/did:op:" + String(repeating: "0", count: 64)).status == .notFound)
            #expect(try await client.get("/api/aquarius/assets/ddo/not-a-did").status == .badRequest)
            #expect(try await client.get("/api/sluice/tokens/0x" + String(repeating: "1", count: 40)).status == .notFound)

            // A forged or altered provider fee.
            let env = t.node.config.environments[0]
            let fee = ProviderFees.make(environment: env, datatoken: dataToken, serviceId: "compute",
                                        validUntil: t.clock.now() + 600, now: t.clock.now(), key: t.key)
            var altered = fee
            altered.validUntil += 1_000_000
            let feeJSON = { (f: ProviderFee) in f.json }
            let forged = try await client.post("/api/sluice/orders", bob.write("startOrder", [
                "datatoken": .string(dataToken.checksummed), "consumer": .string(bob.checksummed), "serviceIndex": .integer(1), "providerFee": feeJSON(altered)]))
            #expect(forged.status == .badRequest)
            #expect(forged.json?["field"]?.stringValue == "providerFee")
            // An order for another service index than the datatoken's.
            let wrongIndex = try await client.post("/api/sluice/orders", bob.write("startOrder", [
                "datatoken": .string(dataToken.checksummed), "consumer": .string(bob.checksummed), "serviceIndex": .integer(0), "providerFee": feeJSON(fee)]))
            #expect(wrongIndex.status == .badRequest)
            #expect(try await Self.balance(client, dataToken, bob) == "999999999999999999")
            // Not enough datatokens to order (Bob holds just under one).
            let broke = try await client.post("/api/sluice/orders", bob.write("startOrder", [
                "datatoken": .string(dataToken.checksummed), "consumer": .string(bob.checksummed), "serviceIndex": .integer(1), "providerFee": feeJSON(fee)]))
            #expect(broke.status == .badRequest)

            // Malformed DDOs say what is wrong.
            var bad = Self.datasetDraft(files: "0xzz")
            bad["metadata"] = .object(["type": .string("model"), "name": .string("")])
            let malformed = try await client.post("/api/sluice/assets", alice.write("publish", bad))
            #expect(malformed.status == .badRequest)
            let message = malformed.json?["error"]?.stringValue ?? ""
            for part in ["metadata.type", "metadata.name", "metadata.author", "services[0].files"] {
                #expect(message.contains(part), "error names \(part): \(message)")
            }
            // Files not encrypted to this node, and files copied from another asset.
            let foreign = try ECIES.encrypt(Array("[{\"type\":\"url\",\"url\":\"https://x.org/a\"}]".utf8), to: PrivateKey.generate().publicKey)
            let notOurs = try await client.post("/api/sluice/assets", alice.write("publish", Self.datasetDraft(files: Hex.encode(foreign, prefix: true))))
            #expect(notOurs.status == .badRequest)
            let copied = try await client.post("/api/sluice/assets", bob.write("publish", Self.datasetDraft(files: p.dataset.services[1].files)))
            #expect(copied.status == .badRequest, "a file list bound to Alice's asset cannot be reused by Bob")
            #expect(copied.json?["error"]?.stringValue?.contains("another asset") == true)
            // A local file outside the node's data roots.
            let local = try await Self.encrypt(client, .array([.object(["type": .string("local"), "path": .string("/etc/shadow")])]))
            let shadow = try await client.post("/api/sluice/assets", alice.write("publish", Self.datasetDraft(files: local)))
            #expect(shadow.status == .badRequest)
        }
    }

    @Test func expiredAndReusedOrders() async throws {
        let t = try await TestNode()
        let alice = Wallet(), bob = Wallet()
        try await t.test { client in
            let files = try await Self.encrypt(client, .array([.object(["type": .string("url"), "url": .string(Self.datasetURL)])]))
            let published = try await client.post("/api/sluice/assets", alice.write("publish", Self.datasetDraft(files: files, timeout: 60)))
            let ddo = try JSONDecoder().decode(DDO.self, from: Data(buffer: published.body))
            let dt = ddo.services[1].datatokenAddress
            _ = try await client.post("/api/sluice/tokens/\(dt)/mint", alice.write("mint", ["to": .string(bob.checksummed), "amount": .string(Self.five)]))
            let env = t.node.config.environments[0]
            let fee = ProviderFees.make(environment: env, datatoken: dt, serviceId: "compute",
                                        validUntil: t.clock.now() + 30, now: t.clock.now(), key: t.key)
            let placed = try await client.post("/api/sluice/orders", bob.write("startOrder", [
                "datatoken": .string(dt.checksummed), "consumer": .string(bob.checksummed), "serviceIndex": .integer(1), "providerFee": fee.json]))
            let tx = try #require(placed.json?["transactionId"]?.stringValue)
            let context = OrderVerifier.Context(ddo: ddo, serviceIndex: 1, requester: bob.address, environment: env, field: "dataset.transferTxId")
            let order = try #require(try await t.node.embedded.storedOrder(tx))

            t.clock.advance(45)  // fee expired, order still within the service timeout
            #expect(throws: RequestError.self) { try t.node.orderVerifier.verify(order, original: nil, context: context) }
            let renewed = ProviderFees.make(environment: env, datatoken: dt, serviceId: "compute",
                                            validUntil: t.clock.now() + 30, now: t.clock.now(), key: t.key)
            let reused = try await client.post("/api/sluice/orders/\(tx)/reuse", bob.write("reuseOrder", ["providerFee": renewed.json]))
            #expect(reused.status == .created, "\(reused.text)")
            let reuseTx = try #require(reused.json?["transactionId"]?.stringValue)
            #expect(reused.json?["reusedOrderId"]?.stringValue == tx)
            let reuse = try #require(try await t.node.embedded.storedOrder(reuseTx))
            #expect(throws: Never.self) { try t.node.orderVerifier.verify(reuse, original: order, context: context) }
            #expect(try await Self.balance(client, dt, bob) == "4000000000000000000", "reusing does not pay the datatoken again")

            t.clock.advance(30)  // now older than the service's 60 s timeout
            #expect(throws: RequestError.self) { try t.node.orderVerifier.verify(reuse, original: order, context: context) }
        }
    }

    @Test func concurrentOrdersCannotSpendTheSameToken() async throws {
        let t = try await TestNode()
        let alice = Wallet(), bob = Wallet()
        try await t.test { client in
            let p = try await Self.publishBoth(client, alice: alice)
            let dt = p.dataset.services[1].datatokenAddress
            _ = try await client.post("/api/sluice/tokens/\(dt)/mint", alice.write("mint", ["to": .string(bob.checksummed), "amount": .string(Self.one)]))
            let fee = ProviderFees.make(environment: t.node.config.environments[0], datatoken: dt, serviceId: "compute",
                                        validUntil: t.clock.now() + 600, now: t.clock.now(), key: t.key)
            let bodies = (0..<6).map { _ in bob.write("startOrder", [
                "datatoken": .string(dt.checksummed), "consumer": .string(bob.checksummed), "serviceIndex": .integer(1), "providerFee": fee.json]) }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for body in bodies { group.addTask { try await client.post("/api/sluice/orders", body).status.code } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { $0 == 201 || (400..<500).contains($0) })
            #expect(try await Self.balance(client, dt, bob) == "0")
            #expect(try await Self.balance(client, dt, alice) == Self.one)
        }
    }
}
