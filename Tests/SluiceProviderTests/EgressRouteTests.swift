import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SluiceCore
import SluiceCrypto
@testable import SluiceProvider
import SluiceTesting
import Testing

@Suite("egress policy: fileinfo and compute start")
struct EgressRouteTests {
    static func fileObject(_ url: String) -> JSONValue {
        .object(["type": .string("url"), "url": .string(url), "method": .string("GET")])
    }

    /// The node's default policy: fileinfo refuses internal URLs with 403 before any
    /// connection, and says so without repeating the URL.
    @Test func fileinfoRefusesInternalAddresses() async throws {
        let listener = try ScriptedHTTPServer { _ in .file("internal secret") }
        defer { listener.stop() }
        let port = listener.port
        let t = try await TestNode(fetch: .standard)
        try await t.test { client in
            for url in ["http://127.0.0.1:\(port)/secret", "http://[::1]:\(port)/secret", "http://localhost:\(port)/secret",
                        "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/secret", "http://[::ffff:10.0.0.1]/secret"] {
                let response = try await client.postJSON("/api/services/fileinfo", Self.fileObject(url))
                #expect(response.status == .forbidden, "\(url): \(response.text)")
                #expect(response.json?["error"]?.stringValue?.contains("which this node does not fetch from") == true, "\(response.text)")
                #expect(!response.text.contains(String(port)) && !response.text.contains("secret") && !response.text.contains("10.0.0.1"))
            }
            // A published dataset whose URL is internal: refused the same way.
            let files = try await URLAssets.encrypt(client, url: listener.url())
            let dataset = try await ComputeScenario.publish(client, Wallet(), AssetFlowTests.datasetDraft(files: files))
            let byDID = try await client.postJSON("/api/services/fileinfo", .object([
                "did": .string(dataset.id.text), "serviceId": .string("compute"), "checksum": .bool(true)]))
            #expect(byDID.status == .forbidden, "\(byDID.text)")
        }
        #expect(listener.connections == 0)
    }

    /// `fetch.allowNetworks` opens a network on purpose.
    @Test func anAllowedNetworkCanBeChecked() async throws {
        let contents = "a,b\n1,2\n"
        let files = try ScriptedHTTPServer { _ in .file(contents) }
        defer { files.stop() }
        let t = try await TestNode(fetch: EgressPolicy(allowNetworks: [IPNetwork("127.0.0.0/8")].compactMap { $0 }))
        try await t.test { client in
            let response = try await client.postJSON("/api/services/fileinfo", .object([
                "type": .string("url"), "url": .string(files.url("/data.csv")), "method": .string("GET"), "checksum": .bool(true)]))
            #expect(response.status == .ok, "\(response.text)")
            let info = try #require(response.json?.arrayValue?.first)
            #expect(info["valid"] == .bool(true))
            #expect(info["checksum"]?.stringValue == SHA256Hex.of(contents))
            // ::1 stays closed: only 127.0.0.0/8 was opened.
            let v6 = try await client.postJSON("/api/services/fileinfo", Self.fileObject("http://[::1]:\(files.port)/data.csv"))
            #expect(v6.status == .forbidden)
        }
        #expect(files.connections == 1)
    }

    /// A raw algorithm's URL and a published algorithm's URL aimed at the node's own
    /// loopback: the raw one ends as 32 before running, the published one is refused at
    /// the start; neither reaches the listener.
    @Test func computeStartNeverFetchesInternalAlgorithms() async throws {
        let listener = try ScriptedHTTPServer { _ in .file("print(open('/etc/hostname').read())") }
        defer { listener.stop() }
        let t = try await TestNode(fetch: .standard)
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            for url in [listener.url("/secret"), "http://localhost:\(listener.port)/secret", "http://169.254.169.254/latest/meta-data/"] {
                let tx = try await s.order(s.rawDataset, serviceId: "compute", by: s.bob)
                let raw = JSONValue.object(["meta": .object([
                    "url": .string(url), "language": .string("python"), "version": .string("1"),
                    "container": .object(["entrypoint": .string("cat $ALGO"), "image": .string("python"), "tag": .string("3.11"),
                                          "checksum": .string("sha256:" + String(repeating: "ef", count: 32))])])])
                let started = try await client.postJSON("/api/services/compute", s.startBody(by: s.bob, datasetTx: tx, algorithm: raw, dataset: s.rawDataset))
                #expect(started.status == .created, "\(started.text)")
                let jobId = try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue)
                let job = try await s.waitUntilFinished(jobId, by: s.bob)
                #expect(job["status"]?.int64Value == 32, "\(job)")
                #expect(job["error"]?.stringValue?.contains("which this node does not fetch from") == true, "\(job)")
                #expect(try await URLAssets.result(s, job, named: "algorithm.log")?.contains("hostname") != true)
            }

            let published = try await URLAssets.make(t, client, datasetURL: "https://data.example.org/x.csv", algorithmURL: listener.url("/algo.py"),
                                                     filesChecksum: String(repeating: "0", count: 64))
            let dataTx = try await published.order(published.dataset, serviceId: "compute", by: published.bob)
            let algoTx = try await published.order(published.algorithm, serviceId: "0", by: published.bob)
            let refused = try await client.postJSON("/api/services/compute", published.startBody(
                by: published.bob, datasetTx: dataTx, algorithm: published.publishedAlgorithm(tx: algoTx)))
            #expect(refused.status == .forbidden, "\(refused.text)")
            #expect(refused.json?["error"]?.stringValue?.contains("does not fetch from") == true, "\(refused.text)")
        }
        #expect(listener.connections == 0)
    }
}
