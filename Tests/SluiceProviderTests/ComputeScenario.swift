import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import SluiceCore
import SluiceCrypto
@testable import SluiceProvider
import Testing

/// The seed's flow set up through HTTP, ready for compute: Alice's dataset (local CSV)
/// and algorithm (local Python file), the algorithm trusted, Bob holding datatokens.
struct ComputeScenario {
    let t: TestNode
    let client: any TestClientProtocol
    let alice: Wallet
    let bob: Wallet
    var dataset: DDO
    var algorithm: DDO
    var rawDataset: DDO
    let algorithmPath: String
    let provider: String

    static let algorithmCode = """
        import json, os
        dids = json.loads(os.environ["DIDS"])
        rows = open("/data/inputs/" + dids[0] + "/0").read().splitlines()
        custom = {}
        if os.path.exists("/data/inputs/algoCustomData.json"):
            custom = json.load(open("/data/inputs/algoCustomData.json"))
        with open("/data/outputs/result.txt", "w") as out:
            out.write("rows=%d factor=%s" % (len(rows), custom.get("factor")))
        print("algorithm says hello")
        """

    static func make(_ t: TestNode, _ client: any TestClientProtocol) async throws -> ComputeScenario {
        let csv = try t.publishedFile("branin.csv", "x,y\n1,2\n3,4\n5,6\n")
        let algo = try t.publishedFile("algo.py", algorithmCode)
        let alice = Wallet(), bob = Wallet()
        func encrypt(_ path: String) async throws -> String {
            try await client.post("/api/services/encrypt", ByteBuffer(string: JSONValue.array([.object(["type": .string("local"), "path": .string(path)])]).compactJSON())).text
        }
        let dataFiles = try await encrypt(csv)
        let dataset = try await Self.publish(client, alice, AssetFlowTests.datasetDraft(files: dataFiles, timeout: 3600))
        var rawDraft = AssetFlowTests.datasetDraft(files: dataFiles)
        rawDraft["services"] = .array([.object(["id": .string("compute"), "type": .string("compute"), "files": .string(dataFiles),
                                                "compute": .object(["allowRawAlgorithm": .bool(true)])])])
        let rawDataset = try await Self.publish(client, alice, rawDraft)
        var algoDraft = AssetFlowTests.algorithmDraft(files: try await encrypt(algo))
        algoDraft["metadata"] = .object([
            "type": .string("algorithm"), "name": .string("rows"), "author": .string("Alice"), "license": .string("MIT"),
            "algorithm": .object(["language": .string("python"), "version": .string("1"),
                                  "container": .object(["entrypoint": .string("python $ALGO"), "image": .string("python"), "tag": .string("3.11"),
                                                        "checksum": .string("sha256:" + String(repeating: "cd", count: 32))])]),
        ])
        let algorithm = try await Self.publish(client, alice, algoDraft)
        let trusted = try await client.post("/api/sluice/assets/\(dataset.id.text)/trust",
                                            alice.write("trust", ["serviceId": .string("compute"), "algorithmDid": .string(algorithm.id.text)]))
        #expect(trusted.status == .ok, "\(trusted.text)")
        let trustedDDO = try JSONDecoder().decode(DDO.self, from: Data(buffer: trusted.body))
        for token in [trustedDDO.services[1].datatokenAddress, algorithm.services[0].datatokenAddress, rawDataset.services[0].datatokenAddress] {
            let minted = try await client.post("/api/sluice/tokens/\(token)/mint", alice.write("mint", ["to": .string(bob.checksummed), "amount": .string("10000000000000000000")]))
            #expect(minted.status == .ok)
        }
        return ComputeScenario(t: t, client: client, dataset: trustedDDO, algorithm: algorithm, rawDataset: rawDataset,
                               algorithmPath: algo, provider: t.key.address.checksummed, alice: alice, bob: bob)
    }

    init(t: TestNode, client: any TestClientProtocol, dataset: DDO, algorithm: DDO, rawDataset: DDO, algorithmPath: String,
         provider: String, alice: Wallet, bob: Wallet) {
        self.t = t
        self.client = client
        self.dataset = dataset
        self.algorithm = algorithm
        self.rawDataset = rawDataset
        self.algorithmPath = algorithmPath
        self.provider = provider
        self.alice = alice
        self.bob = bob
    }

    static func publish(_ client: any TestClientProtocol, _ wallet: Wallet, _ draft: [String: JSONValue]) async throws -> DDO {
        let response = try await client.post("/api/sluice/assets", wallet.write("publish", draft))
        #expect(response.status == .created, "\(response.text)")
        return try JSONDecoder().decode(DDO.self, from: Data(buffer: response.body))
    }

    /// Orders service `serviceId` of `ddo` for `wallet` with a fee from initializeCompute.
    func order(_ ddo: DDO, serviceId: String, by wallet: Wallet, env: String = "free-cpu", validFor seconds: Int = 600) async throws -> String {
        let initialized = try await client.postJSON("/api/services/initializeCompute", .object([
            "datasets": .array([.object(["documentId": .string(ddo.isAlgorithm ? dataset.id.text : ddo.id.text),
                                         "serviceId": .string(ddo.isAlgorithm ? "compute" : serviceId)])]),
            "algorithm": ddo.isAlgorithm ? .object(["documentId": .string(ddo.id.text), "serviceId": .string(serviceId)])
                                         : .object(["meta": .object([:])]),
            "compute": .object(["env": .string(env), "validUntil": .integer(Int64(t.clock.now() + seconds))]),
            "consumerAddress": .string(provider),
        ]))
        #expect(initialized.status == .ok, "\(initialized.text)")
        let item = ddo.isAlgorithm ? initialized.json?["algorithm"] : initialized.json?["datasets"]?.arrayValue?.first
        let fee = try #require(item?["providerFee"])
        let index = try #require(ddo.service(id: serviceId)?.index)
        let placed = try await client.post("/api/sluice/orders", wallet.write("startOrder", [
            "datatoken": .string(ddo.services[index].datatokenAddress.checksummed), "consumer": .string(provider),
            "serviceIndex": .integer(Int64(index)), "providerFee": fee]))
        #expect(placed.status == .created, "\(placed.text)")
        return try #require(placed.json?["transactionId"]?.stringValue)
    }

    /// A signed compute start body.
    func startBody(by wallet: Wallet, datasetTx: String, algorithm: JSONValue, dataset: DDO? = nil, serviceId: String = "compute",
                   env: String = "free-cpu", nonce: Nonce? = nil, signer: Wallet? = nil) -> JSONValue {
        let ds = dataset ?? self.dataset
        let nonce = nonce ?? wallet.nextNonce()
        let signature = PersonalSign.sign(message: wallet.checksummed + ds.id.text, nonce: nonce, key: (signer ?? wallet).key).hex
        return .object([
            "consumerAddress": .string(wallet.checksummed), "nonce": .integer(Int64(nonce.value)), "signature": .string(signature),
            "environment": .string(env),
            "dataset": .object(["documentId": .string(ds.id.text), "serviceId": .string(serviceId), "transferTxId": .string(datasetTx)]),
            "algorithm": algorithm,
        ])
    }

    func publishedAlgorithm(tx: String, custom: JSONValue? = nil) -> JSONValue {
        var o: [String: JSONValue] = ["documentId": .string(algorithm.id.text), "serviceId": .string("0"), "transferTxId": .string(tx)]
        if let custom { o["algocustomdata"] = custom }
        return .object(o)
    }

    static func rawAlgorithm(_ code: String) -> JSONValue {
        .object(["meta": .object(["rawcode": .string(code), "url": .string(""), "language": .string("python"), "version": .string("1"),
                                  "container": .object(["entrypoint": .string("python $ALGO"), "image": .string("python"), "tag": .string("3.11"),
                                                        "checksum": .string("sha256:" + String(repeating: "ef", count: 32))])])])
    }

    /// The signed query string of status, stop and delete.
    func jobQuery(by wallet: Wallet, jobId: String = "", documentId: String = "", signer: Wallet? = nil) -> String {
        let nonce = wallet.nextNonce()
        let signature = PersonalSign.sign(message: wallet.checksummed + jobId + documentId, nonce: nonce, key: (signer ?? wallet).key).hex
        var q = "consumerAddress=\(wallet.checksummed)&nonce=\(nonce.value)&signature=\(signature)"
        if !jobId.isEmpty { q += "&jobId=\(jobId)" }
        if !documentId.isEmpty { q += "&documentId=\(documentId)" }
        return q
    }

    func resultQuery(by wallet: Wallet, jobId: String, index: Int) -> String {
        let nonce = wallet.nextNonce()
        let signature = PersonalSign.sign(message: wallet.checksummed + jobId + String(index), nonce: nonce, key: wallet.key).hex
        return "consumerAddress=\(wallet.checksummed)&nonce=\(nonce.value)&signature=\(signature)&jobId=\(jobId)&index=\(index)"
    }

    func status(_ jobId: String, by wallet: Wallet) async throws -> TestResponse {
        try await client.get("/api/services/compute?" + jobQuery(by: wallet, jobId: jobId))
    }

    /// Polls the job's status until it is terminal.
    func waitUntilFinished(_ jobId: String, by wallet: Wallet, seconds: Int = 60) async throws -> JSONValue {
        for _ in 0..<(seconds * 10) {
            let response = try await status(jobId, by: wallet)
            let job = try #require(response.json?.arrayValue?.first, "\(response.text)")
            if let finished = job["dateFinished"]?.stringValue, let value = Double(finished), value > 0 { return job }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("job \(jobId) did not finish")
        throw CancellationError()
    }
}
