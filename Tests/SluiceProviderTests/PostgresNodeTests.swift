import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceEVMTesting
import SluicePostgres
@testable import SluiceProvider
import SluiceTesting
import Testing

/// A node assembled on PostgreSQL (`database: "postgres://..."`) runs the compute flow the
/// SQLite node runs, keeps no SQLite file, and a node restarted on the same database and
/// data directory answers for the jobs and nonces of the first.
@Suite("A node on PostgreSQL")
struct PostgresNodeTests {
    /// The test server, or the skip (a CI run without one fails instead).
    static func server() throws -> PostgresURL {
        switch PostgresTestServer.availability {
        case .available(let server):
            return server
        case .skipped(let reason):
            FileHandle.standardError.write(Data("⚠ skipped \(Test.current?.name ?? "a PostgreSQL test"): \(reason)\n".utf8))
            try Test.cancel("skipped: \(reason)")
        case .missingUnderCI(let reason):
            Issue.record("CI is set, so the PostgreSQL tests must run: \(reason)")
            throw CancellationError()
        }
    }

    @Test func aJobRunsAndItsStatusAndNoncesSurviveARestart() async throws {
        let database = try await PostgresTestServer.freshDatabase(on: try Self.server())
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-pgnode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dataDir) }

        let first = try await TestNode(assembledOn: database, dataDir: dataDir)
        let (jobId, bob, usedNonce) = try await first.test { client in
            let s = try await ComputeScenario.make(first, client)
            let dataTx = try await s.order(s.dataset, serviceId: "compute", by: s.bob)
            let algoTx = try await s.order(s.algorithm, serviceId: "0", by: s.bob)
            let started = try await client.postJSON("/api/services/compute",
                s.startBody(by: s.bob, datasetTx: dataTx, algorithm: s.publishedAlgorithm(tx: algoTx, custom: .string(#"{"factor": 3}"#))))
            #expect(started.status == .created, "\(started.text)")
            let jobId = try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue)
            let done = try await s.waitUntilFinished(jobId, by: s.bob)
            #expect(done["status"] == .integer(70), "\(done)")
            let output = try await client.get("/api/services/computeResult?" + s.resultQuery(by: s.bob, jobId: jobId, index: 0))
            #expect(output.text == "rows=4 factor=3")
            // The order paid for this job: a second start with it is refused.
            let again = try await client.postJSON("/api/services/compute",
                s.startBody(by: s.bob, datasetTx: dataTx, algorithm: s.publishedAlgorithm(tx: try await s.order(s.algorithm, serviceId: "0", by: s.bob))))
            #expect(again.status.code / 100 == 4, "\(again.text)")
            let nonce = s.bob.nextNonce()
            return (jobId, s.bob, nonce)
        }
        #expect(try await first.store.job(id: jobId)?.status == .jobFinished, "the job is in PostgreSQL")
        let files = try FileManager.default.contentsOfDirectory(atPath: dataDir.path)
        #expect(!files.contains { $0.hasPrefix("sluice.sqlite") }, "a node on PostgreSQL keeps no SQLite file: \(files)")

        // Another node on the same database and directory: the same key, the job, its results, the nonces.
        let second = try await TestNode(assembledOn: database, dataDir: dataDir)
        #expect(second.key.address == first.key.address)
        try await second.test { client in
            let message = bob.checksummed + jobId
            let status = try await client.get("/api/services/compute?consumerAddress=\(bob.checksummed)&nonce=\(usedNonce.value)"
                + "&signature=\(PersonalSign.sign(message: message, nonce: usedNonce, key: bob.key).hex)&jobId=\(jobId)")
            #expect(status.status == .ok, "\(status.text)")
            let job = try #require(status.json?.arrayValue?.first)
            #expect(job["status"] == .integer(70))
            #expect(job["jobId"]?.stringValue == jobId)
            // The same signed request again: its nonce is spent, in the database.
            let replay = try await client.get("/api/services/compute?consumerAddress=\(bob.checksummed)&nonce=\(usedNonce.value)"
                + "&signature=\(PersonalSign.sign(message: message, nonce: usedNonce, key: bob.key).hex)&jobId=\(jobId)")
            #expect(replay.status == .unauthorized, "\(replay.text)")
            let later = bob.nextNonce()
            let result = try await client.get("/api/services/computeResult?consumerAddress=\(bob.checksummed)&nonce=\(later.value)"
                + "&signature=\(PersonalSign.sign(message: bob.checksummed + jobId + "0", nonce: later, key: bob.key).hex)&jobId=\(jobId)&index=0")
            #expect(result.text == "rows=4 factor=3", "the results outlive the first node")
        }
        let after = try FileManager.default.contentsOfDirectory(atPath: dataDir.path)
        #expect(!after.contains { $0.hasPrefix("sluice.sqlite") })
    }

    /// A server that cannot be reached: the failure names host:port/db, never the password
    /// (read from `databasePasswordFile`) or the URL's user.
    @Test func aFailureToConnectNamesTheServerButNotThePassword() async throws {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-pgnode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let passwordFile = dataDir.appendingPathComponent("pgpass")
        try Data("s3cret-Passw0rd\n".utf8).write(to: passwordFile)
        let port = try #require(Int(ClosedPort.rpcURL().split(separator: ":").last?.split(separator: "/").first ?? ""))
        var config = NodeConfig(database: .postgres(PostgresURL(user: "sluiceuser", host: "127.0.0.1", port: port, name: "nodb", tls: .disable)),
                                databasePasswordFile: passwordFile.path)
        config.dataDir = dataDir.path
        let logs = CapturedLog()
        let logger = Logger(label: "test") { _ in logs }
        do {
            _ = try await NodeAssembly.open(config: config, logger: logger)
            Issue.record("a node opened on a closed port")
        } catch {
            let text = "\(error)"
            #expect(text.contains("127.0.0.1:\(port)/nodb"), "\(text)")
            #expect(!text.contains("s3cret") && !text.contains("sluiceuser"), "\(text)")
        }
        #expect(!logs.text.contains("s3cret") && logs.text.contains("127.0.0.1:\(port)/nodb"), "\(logs.text)")
        #expect(!FileManager.default.fileExists(atPath: dataDir.appendingPathComponent("sluice.sqlite").path))
    }
}
