import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceCore
import SluiceCrypto
@testable import SluiceProvider
import SluiceStore
import Testing

@Suite("Compute API under concurrency")
struct ComputeConcurrencyTests {
    @Test func twoHundredConcurrentSignedStatusRequestsAllSucceed() async throws {
        let t = try await TestNode()
        try await t.test(.live) { client in
            let s = try await ComputeScenario.make(t, client)
            var running: [String] = []
            for _ in 0..<2 {
                let started = try await client.postJSON("/api/services/compute", s.startBody(
                    by: s.bob, datasetTx: try await s.order(s.rawDataset, serviceId: "compute", by: s.bob),
                    algorithm: ComputeScenario.rawAlgorithm("import time\ntime.sleep(30)"), dataset: s.rawDataset))
                running.append(try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue))
            }
            // Nonces only grow per address, so concurrent queries come from distinct
            // consumers; Bob's own query sees his running jobs.
            let wallets = (0..<199).map { _ in Wallet() } + [s.bob]
            let queries = wallets.map { s.jobQuery(by: $0, documentId: s.rawDataset.id.text) }
            let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for (i, query) in queries.enumerated() {
                    group.addTask {
                        let response = try await client.get("/api/services/compute?" + query)
                        return (i, Int(response.status.code) * 1000 + (response.json?.arrayValue?.count ?? -1))
                    }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
            }
            #expect(answers.count == 200)
            #expect(answers.values.allSatisfy { $0 / 1000 == 200 }, "every signed status request succeeds")
            #expect(answers[199] == 200_002, "Bob sees his two running jobs")
            for id in running {
                _ = try await client.execute(uri: "/api/services/compute?" + s.jobQuery(by: s.bob, jobId: id), method: .put)
            }
        }
    }

    @Test func racingStopAndDeleteLeaveOneConsistentState() async throws {
        let t = try await TestNode()
        try await t.test(.live) { client in
            let s = try await ComputeScenario.make(t, client)
            for round in 0..<3 {
                let started = try await client.postJSON("/api/services/compute", s.startBody(
                    by: s.bob, datasetTx: try await s.order(s.rawDataset, serviceId: "compute", by: s.bob),
                    algorithm: ComputeScenario.rawAlgorithm("import time\nprint('up', flush=True)\ntime.sleep(30)"), dataset: s.rawDataset))
                let jobId = try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue)
                if round > 0 { try await Task.sleep(for: .milliseconds(200 * round)) }
                let stopQuery = s.jobQuery(by: s.bob, jobId: jobId)
                let deleteQuery = s.jobQuery(by: s.bob, jobId: jobId)
                async let stop = client.execute(uri: "/api/services/compute?" + stopQuery, method: .put)
                async let delete = client.execute(uri: "/api/services/compute?" + deleteQuery, method: .delete)
                let (stopped, deleted) = try await (stop, delete)
                // Delete always wins in the end; stop either saw the job (7) or found it gone (404),
                // never a 5xx, never a half-deleted job.
                #expect(deleted.status == .ok, "\(deleted.text)")
                #expect(deleted.json?.arrayValue?.first?["status"] == .integer(8))
                #expect(stopped.status == .ok || stopped.status == .notFound || stopped.status == .unauthorized, "\(stopped.status) \(stopped.text)")
                if stopped.status == .ok {
                    #expect(stopped.json?.arrayValue?.first?["status"] == .integer(7))
                }
                #expect(try await s.status(jobId, by: s.bob).status == .notFound)
                #expect(!FileManager.default.fileExists(atPath: t.dataDir.appendingPathComponent("jobs/\(jobId)").path))
                #expect(try await t.store.job(id: jobId) == nil)
            }
        }
    }
}
