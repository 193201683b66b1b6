import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceCore
import SluiceCrypto
import Testing
@testable import SluiceProvider

@Suite("Compute API end to end")
struct ComputeAPITests {
    @Test func bobRunsTheTrustedAlgorithmAndDownloadsItsResults() async throws {
        let t = try await TestNode()
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            let dataTx = try await s.order(s.dataset, serviceId: "compute", by: s.bob)
            let algoTx = try await s.order(s.algorithm, serviceId: "0", by: s.bob)
            let started = try await client.postJSON("/api/services/compute",
                s.startBody(by: s.bob, datasetTx: dataTx, algorithm: s.publishedAlgorithm(tx: algoTx, custom: .string(#"{"factor": 3}"#))))
            #expect(started.status == .created, "\(started.text)")
            let job = try #require(started.json?.arrayValue?.first)
            let jobId = try #require(job["jobId"]?.stringValue)
            #expect(jobId.count >= 32)
            #expect(job["status"] == .integer(1))
            #expect(job["owner"]?.stringValue == s.bob.checksummed)
            #expect(job["agreementId"]?.stringValue == dataTx)

            let done = try await s.waitUntilFinished(jobId, by: s.bob)
            #expect(done["status"] == .integer(70), "\(done)")
            #expect(done["statusText"]?.stringValue == "Job finished")
            #expect(done["algoDID"]?.stringValue == s.algorithm.id.text)
            let results = try #require(done["results"]?.arrayValue)
            #expect(results.map { $0["type"]?.stringValue } == ["output", "algorithmLog", "configurationLog", "publishLog"])
            #expect(results.first?["filename"]?.stringValue == "result.txt")
            let urls = try #require(done["resultsUrls"]?.arrayValue)
            #expect(urls.count == 4)
            #expect(urls.allSatisfy { $0.stringValue?.contains("signature") == false })
            #expect(done["algorithmLogUrl"]?.stringValue?.contains("index=1") == true)

            let output = try await client.get("/api/services/computeResult?" + s.resultQuery(by: s.bob, jobId: jobId, index: 0))
            #expect(output.status == .ok)
            #expect(output.text == "rows=4 factor=3", "the input and algocustomdata reached the sandbox")
            #expect(output.headers[.contentDisposition] == "attachment; filename=\"result.txt\"")
            let log = try await client.get("/api/services/computeResult?" + s.resultQuery(by: s.bob, jobId: jobId, index: 1))
            #expect(log.text.contains("algorithm says hello"))

            // Range requests.
            let nonce = s.bob.nextNonce()
            let sig = PersonalSign.sign(message: s.bob.checksummed + jobId + "0", nonce: nonce, key: s.bob.key).hex
            let ranged = try await client.execute(
                uri: "/api/services/computeResult?consumerAddress=\(s.bob.checksummed)&nonce=\(nonce.value)&signature=\(sig)&jobId=\(jobId)&index=0",
                method: .get, headers: [.range: "bytes=0-5"])
            #expect(ranged.status == .partialContent)
            #expect(ranged.text == "rows=4")
            #expect(ranged.headers[.contentRange] == "bytes 0-5/15")

            // Listed newest first, by document too; Alice sees none of Bob's jobs.
            let second = try await client.postJSON("/api/services/compute",
                s.startBody(by: s.bob, datasetTx: try await s.order(s.dataset, serviceId: "compute", by: s.bob),
                            algorithm: s.publishedAlgorithm(tx: try await s.order(s.algorithm, serviceId: "0", by: s.bob))))
            let secondId = try #require(second.json?.arrayValue?.first?["jobId"]?.stringValue)
            let listed = try await client.get("/api/services/compute?" + s.jobQuery(by: s.bob, documentId: s.dataset.id.text))
            #expect(listed.json?.arrayValue?.compactMap { $0["jobId"]?.stringValue } == [secondId, jobId])
            let alices = try await client.get("/api/services/compute?" + s.jobQuery(by: s.alice, documentId: s.dataset.id.text))
            #expect(alices.json == .array([]))
            _ = try await s.waitUntilFinished(secondId, by: s.bob)
        }
    }

    @Test func rawAlgorithmsRunOnlyWhereAllowed() async throws {
        let t = try await TestNode()
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            let rawTx = try await s.order(s.rawDataset, serviceId: "compute", by: s.bob)
            let code = "open('/data/outputs/out.txt', 'w').write('raw ok')"
            let started = try await client.postJSON("/api/services/compute",
                s.startBody(by: s.bob, datasetTx: rawTx, algorithm: ComputeScenario.rawAlgorithm(code), dataset: s.rawDataset))
            #expect(started.status == .created, "\(started.text)")
            let jobId = try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue)
            let done = try await s.waitUntilFinished(jobId, by: s.bob)
            #expect(done["algoDID"]?.stringValue == "raw")
            #expect(try await client.get("/api/services/computeResult?" + s.resultQuery(by: s.bob, jobId: jobId, index: 0)).text == "raw ok")

            let dataTx = try await s.order(s.dataset, serviceId: "compute", by: s.bob)
            let refused = try await client.postJSON("/api/services/compute",
                s.startBody(by: s.bob, datasetTx: dataTx, algorithm: ComputeScenario.rawAlgorithm(code)))
            #expect(refused.status == .forbidden)
            #expect(refused.json?["field"]?.stringValue == "algorithm.meta")
        }
    }

    @Test func stopEndsAJobAsStoppedAndDeleteRemovesIt() async throws {
        let t = try await TestNode()
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            let tx = try await s.order(s.rawDataset, serviceId: "compute", by: s.bob)
            let code = "import time\nopen('/data/outputs/partial.txt', 'w').write('half')\nprint('started', flush=True)\ntime.sleep(60)"
            let started = try await client.postJSON("/api/services/compute",
                s.startBody(by: s.bob, datasetTx: tx, algorithm: ComputeScenario.rawAlgorithm(code), dataset: s.rawDataset))
            let jobId = try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue)
            // Stop once the algorithm has written its partial output.
            let partialFile = t.dataDir.appendingPathComponent("jobs/\(jobId)/outputs/partial.txt").path
            for _ in 0..<300 {
                if (try? String(contentsOfFile: partialFile, encoding: .utf8)) == "half" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await s.status(jobId, by: s.bob).json?.arrayValue?.first?["status"] == .integer(40))
            // Alice may not stop Bob's job.
            let byAlice = try await client.execute(uri: "/api/services/compute?" + s.jobQuery(by: s.alice, jobId: jobId), method: .put)
            #expect(byAlice.status == .forbidden)
            let stopped = try await client.execute(uri: "/api/services/compute?" + s.jobQuery(by: s.bob, jobId: jobId), method: .put)
            #expect(stopped.status == .ok)
            let job = try #require(stopped.json?.arrayValue?.first)
            #expect(job["status"] == .integer(7))
            #expect(job["statusText"]?.stringValue == "Job stopped")
            #expect(job["dateFinished"]?.stringValue != nil)
            let partial = try await client.get("/api/services/computeResult?" + s.resultQuery(by: s.bob, jobId: jobId, index: 0))
            #expect(partial.text == "half", "outputs written before the stop stay retrievable")

            let deleted = try await client.execute(uri: "/api/services/compute?" + s.jobQuery(by: s.bob, jobId: jobId), method: .delete)
            #expect(deleted.json?.arrayValue?.first?["status"] == .integer(8))
            #expect(deleted.json?.arrayValue?.first?["statusText"]?.stringValue == "Job deleted successfully")
            #expect(try await s.status(jobId, by: s.bob).status == .notFound)
        }
    }
}
