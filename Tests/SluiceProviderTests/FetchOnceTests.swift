import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SluiceCore
import SluiceCrypto
@testable import SluiceProvider
import SluiceTesting
import Testing

/// Datasets and algorithms published as URLs of the test's own file servers, whose
/// answers change between downloads.
struct URLAssets {
    static let trustedCode = """
        import json, os, shutil
        did = json.loads(os.environ["DIDS"])[0]
        shutil.copyfile("/data/inputs/" + did + "/0", "/data/outputs/input.copy")
        open("/data/outputs/which.txt", "w").write("trusted")
        """
    static let otherCode = "open('/data/outputs/which.txt', 'w').write('other')\n"
    static let container = "sha256:" + String(repeating: "ab", count: 32)

    static func encrypt(_ client: any TestClientProtocol, url: String) async throws -> String {
        let list = JSONValue.array([.object(["type": .string("url"), "url": .string(url), "method": .string("GET")])])
        return try await client.post("/api/services/encrypt", ByteBuffer(string: list.compactJSON())).text
    }

    /// An algorithm at `algorithmURL` and a dataset at `datasetURL` trusting it with
    /// `filesChecksum` (none: not trusted yet), Bob holding both datatokens.
    static func make(_ t: TestNode, _ client: any TestClientProtocol, datasetURL: String, algorithmURL: String,
                     filesChecksum: String?) async throws -> ComputeScenario {
        let alice = Wallet(), bob = Wallet()
        let algorithm = try await ComputeScenario.publish(client, alice, AssetFlowTests.algorithmDraft(files: try await encrypt(client, url: algorithmURL)))
        let trusted: [JSONValue] = filesChecksum.map { checksum in
            [.object(["did": .string(algorithm.id.text), "filesChecksum": .string(checksum),
                      "containerSectionChecksum": .string(SHA256Hex.of("python $ALGO" + container))])]
        } ?? []
        let files = try await encrypt(client, url: datasetURL)
        let dataset = try await ComputeScenario.publish(client, alice, AssetFlowTests.datasetDraft(files: files, trusted: trusted))
        for token in [dataset.services[1].datatokenAddress, algorithm.services[0].datatokenAddress] {
            let minted = try await client.post("/api/sluice/tokens/\(token)/mint",
                                               alice.write("mint", ["to": .string(bob.checksummed), "amount": .string("10000000000000000000")]))
            #expect(minted.status == .ok, "\(minted.text)")
        }
        return ComputeScenario(t: t, client: client, dataset: dataset, algorithm: algorithm, rawDataset: dataset,
                               algorithmPath: "", provider: t.key.address.checksummed, alice: alice, bob: bob)
    }

    static func result(_ s: ComputeScenario, _ job: JSONValue, named name: String) async throws -> String? {
        guard let index = job["results"]?.arrayValue?.first(where: { $0["filename"]?.stringValue == name })?["index"]?.int64Value,
              let jobId = job["jobId"]?.stringValue else { return nil }
        let response = try await s.client.get("/api/services/computeResult?" + s.resultQuery(by: s.bob, jobId: jobId, index: Int(index)))
        return response.status == .ok ? response.text : nil
    }
}

@Suite("fetch once: the bytes checked are the bytes run")
struct FetchOnceTests {
    /// The algorithm's server answers the first download with the trusted file and
    /// every later one with another; the dataset's answers fileinfo with one file and
    /// later downloads with another. The job runs the trusted bytes (downloaded once,
    /// at start) on one consistent dataset, and records the hashes of what it got.
    @Test func aServerThatChangesItsAnswerCannotSwapTheAlgorithm() async throws {
        let algorithmServer = try ScriptedHTTPServer(first: .file(URLAssets.trustedCode), later: .file(URLAssets.otherCode))
        defer { algorithmServer.stop() }
        let (before, after) = ("x\n1\n", "x\n1\n2\n3\n")
        let datasetServer = try ScriptedHTTPServer(first: .file(before), later: .file(after))
        defer { datasetServer.stop() }
        let t = try await TestNode()
        try await t.test { client in
            let s = try await URLAssets.make(t, client, datasetURL: datasetServer.url("/data.csv"),
                                             algorithmURL: algorithmServer.url("/algo.py"), filesChecksum: SHA256Hex.of(URLAssets.trustedCode))
            let info = try await client.postJSON("/api/services/fileinfo", .object([
                "did": .string(s.dataset.id.text), "serviceId": .string("compute"), "checksum": .bool(true)]))
            #expect(info.json?.arrayValue?.first?["checksum"]?.stringValue == SHA256Hex.of(before))

            let dataTx = try await s.order(s.dataset, serviceId: "compute", by: s.bob)
            let algoTx = try await s.order(s.algorithm, serviceId: "0", by: s.bob)
            let started = try await client.postJSON("/api/services/compute",
                                                    s.startBody(by: s.bob, datasetTx: dataTx, algorithm: s.publishedAlgorithm(tx: algoTx)))
            #expect(started.status == .created, "\(started.text)")
            let jobId = try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue)
            let job = try await s.waitUntilFinished(jobId, by: s.bob)
            #expect(job["status"]?.int64Value == 70, "\(job)")
            #expect(try await URLAssets.result(s, job, named: "which.txt") == "trusted", "only the trusted bytes ran")
            #expect(try await URLAssets.result(s, job, named: "input.copy") == after, "the dataset as the job downloaded it")

            let digests = try #require(job["fileDigests"]?.arrayValue)
            #expect(digests.count == 2)
            let algorithm = try #require(digests.first { $0["role"]?.stringValue == "algorithm" })
            #expect(algorithm["source"]?.stringValue == s.algorithm.id.text)
            #expect(algorithm["sha256"]?.stringValue == SHA256Hex.of(URLAssets.trustedCode))
            #expect(algorithm["size"]?.int64Value == Int64(URLAssets.trustedCode.utf8.count))
            let dataset = try #require(digests.first { $0["role"]?.stringValue == "dataset" })
            #expect(dataset["source"]?.stringValue == s.dataset.id.text && dataset["index"]?.int64Value == 0)
            #expect(dataset["sha256"]?.stringValue == SHA256Hex.of(after), "the recorded hash is of the bytes the job used")
        }
        #expect(algorithmServer.connections == 1, "the algorithm was downloaded once, for the check and the job")
        #expect(datasetServer.connections == 2, "fileinfo, then the job's one download")
    }

    /// Trusted through the node (its download saw the trusted file); the start's own
    /// download sees the other file and is refused before any job exists.
    @Test func aSwapBeforeTheStartIsRefusedAtTheStart() async throws {
        let algorithmServer = try ScriptedHTTPServer(first: .file(URLAssets.trustedCode), later: .file(URLAssets.otherCode))
        defer { algorithmServer.stop() }
        let datasetServer = try ScriptedHTTPServer { _ in .file("x\n1\n") }
        defer { datasetServer.stop() }
        let t = try await TestNode()
        try await t.test { client in
            let s = try await URLAssets.make(t, client, datasetURL: datasetServer.url(), algorithmURL: algorithmServer.url("/algo.py"),
                                             filesChecksum: nil)
            let trust = try await client.post("/api/sluice/assets/\(s.dataset.id.text)/trust",
                                              s.alice.write("trust", ["serviceId": .string("compute"), "algorithmDid": .string(s.algorithm.id.text)]))
            #expect(trust.status == .ok, "\(trust.text)")
            let dataTx = try await s.order(s.dataset, serviceId: "compute", by: s.bob)
            let algoTx = try await s.order(s.algorithm, serviceId: "0", by: s.bob)
            let started = try await client.postJSON("/api/services/compute",
                                                    s.startBody(by: s.bob, datasetTx: dataTx, algorithm: s.publishedAlgorithm(tx: algoTx)))
            #expect(started.status == .forbidden, "\(started.text)")
            #expect(started.json?["error"]?.stringValue?.contains("filesChecksum") == true)
            let jobs = try await client.get("/api/services/compute?" + s.jobQuery(by: s.bob))
            #expect(jobs.json?.arrayValue?.isEmpty == true, "no job was created")
            let staging = t.dataDir.appendingPathComponent("jobs/.staging").path
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []).isEmpty, "nothing stays staged")
        }
        #expect(algorithmServer.connections == 2, "the trust's download and the start's")
        #expect(datasetServer.connections == 0)
    }
}
