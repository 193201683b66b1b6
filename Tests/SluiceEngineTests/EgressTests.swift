import Foundation
import SluiceCore
import SluiceCrypto
import SluiceTesting
import Testing
@testable import SluiceEngine

/// Answers chosen names with chosen addresses, so a test can make a name resolve to an
/// internal address without DNS, or to a listener the system resolver knows nothing of;
/// other names go to the system resolver.
struct FixedResolver: HostResolver {
    let answers: [String: [IPAddress]]

    func addresses(of host: String) async throws -> [IPAddress] {
        if let found = answers[host] { return found }
        return try await SystemResolver().addresses(of: host)
    }
}

@Suite("egress policy: the engine's fetches")
struct EgressTests {
    static func input(_ url: String) -> [JobInput] {
        [JobInput(did: EngineHarness.datasetDID, files: [.url(url)])]
    }

    static func ip(_ text: String) -> IPAddress { IPAddress(text)! }

    static func networks(_ list: String...) -> [IPNetwork] { list.compactMap(IPNetwork.init) }

    /// Each URL, as a dataset file and as an algorithm file, ends the job before anything
    /// runs, with the refusal's sentence, and the loopback listener sees no connection.
    @Test func internalAddressesAreRefusedBeforeAnyConnection() async throws {
        let listener = try ScriptedHTTPServer { _ in .file("secret=loopback-only") }
        defer { listener.stop() }
        let port = listener.port
        let targets: [(url: String, category: String)] = [
            ("http://127.0.0.1:\(port)/secret", "loopback"),
            ("http://[::1]:\(port)/secret", "loopback"),
            ("http://[::ffff:127.0.0.1]:\(port)/secret", "loopback"),
            ("http://localhost:\(port)/secret", "loopback"),
            ("http://127.1:\(port)/secret", "loopback"),
            ("http://2130706433:\(port)/secret", "loopback"),
            // Never reached: the policy refuses before connecting, so no traffic goes there.
            ("http://169.254.169.254/latest/meta-data/", "link-local"),
            ("http://[fe80::1]/x", "link-local"),
            ("http://10.0.0.1/internal", "private-network (RFC 1918)"),
            ("https://10.0.0.1/internal", "private-network (RFC 1918)"),
            ("http://100.64.0.1/x", "carrier-grade NAT"),
            ("http://metadata.test/x", "link-local"),
            ("http://split.test/x", "private-network (RFC 1918)"),
        ]
        let resolver = FixedResolver(answers: [
            "metadata.test": [Self.ip("169.254.169.254")],
            // One public and one internal answer: refused as a whole.
            "split.test": [Self.ip("93.184.216.34"), Self.ip("10.9.8.7")],
        ])
        try await EngineHarness.with(engineConfiguration: { $0.egress = .standard; $0.resolver = resolver }) { h in
            for target in targets {
                let dataset = try await h.run(EngineHarness.shell("cat /data/inputs/*/0", inputs: Self.input(target.url)))
                #expect(dataset.status == JobStatusCode.dataProvisioningFailed.rawValue, "\(target.url): \(dataset.error ?? "")")
                #expect(dataset.error?.contains("at a \(target.category) address, which this node does not fetch from") == true,
                        "\(target.url): \(dataset.error ?? "")")
                #expect(dataset.error?.contains(String(port)) == false && dataset.error?.contains("secret") == false,
                        "the sentence never repeats the URL")
                #expect(h.algorithmLog(dataset.jobId).isEmpty, "nothing ran")

                let algorithm = try await h.run(h.spec(.file(.url(target.url)), entrypoint: "sh $ALGO"))
                #expect(algorithm.status == JobStatusCode.algorithmProvisioningFailed.rawValue, "\(target.url): \(algorithm.error ?? "")")
                #expect(algorithm.error?.contains("does not fetch from") == true, "\(target.url): \(algorithm.error ?? "")")
            }
        }
        #expect(listener.connections == 0, "no refused fetch opened a connection")
    }

    @Test func everyRedirectHopIsCheckedAndTheChainIsLimited() async throws {
        // B listens on 127.0.0.2, outside the one address the policy opens.
        let inner = try ScriptedHTTPServer(address: "127.0.0.2") { _ in .file("secret=inner") }
        defer { inner.stop() }
        let targets = [inner.url("/secret"), "http://169.254.169.254/latest/meta-data/iam", "http://10.0.0.1/admin",
                       "http://[::1]:\(inner.port)/secret"]
        let outer = try ScriptedHTTPServer { index in .redirect(to: targets[index % targets.count]) }
        defer { outer.stop() }
        let looping = try ScriptedHTTPServer { index in .redirect(to: "/again/\(index)", status: "307 Temporary Redirect") }
        defer { looping.stop() }
        let toFile = try ScriptedHTTPServer { _ in .redirect(to: "file:///etc/passwd") }
        defer { toFile.stop() }
        try await EngineHarness.with(engineConfiguration: { $0.egress = EgressPolicy(allowNetworks: Self.networks("127.0.0.1/32")) }) { h in
            for target in targets {
                let status = try await h.run(EngineHarness.shell("cat /data/inputs/*/0", inputs: Self.input(outer.url())))
                #expect(status.status == JobStatusCode.dataProvisioningFailed.rawValue, "\(target): \(status.error ?? "")")
                #expect(status.error?.contains("does not fetch from") == true, "\(target): \(status.error ?? "")")
                #expect(status.error?.contains("moved") == false, "nothing of the redirect's answer is repeated")
            }
            let loop = try await h.run(EngineHarness.shell("cat /data/inputs/*/0", inputs: Self.input(looping.url())))
            #expect(loop.status == JobStatusCode.dataProvisioningFailed.rawValue)
            #expect(loop.error?.contains("redirected more than 5 times") == true, "\(loop.error ?? "")")
            #expect(looping.connections == 6, "the first request and five redirects, then no more")
            let file = try await h.run(EngineHarness.shell("cat /data/inputs/*/0", inputs: Self.input(toFile.url())))
            #expect(file.error?.contains("not an http(s) URL") == true, "\(file.error ?? "")")
        }
        #expect(outer.connections == targets.count)
        #expect(inner.connections == 0, "no redirect reached an address the policy refuses")
    }

    @Test func anAllowedNetworkWorksAndRedirectsWithinItAreFollowed() async throws {
        let contents = "x,y\n1,2\n"
        let files = try ScriptedHTTPServer { _ in .file(contents) }
        defer { files.stop() }
        let redirecting = try ScriptedHTTPServer { _ in .redirect(to: files.url("/data.csv"), status: "301 Moved Permanently") }
        defer { redirecting.stop() }
        try await EngineHarness.with(engineConfiguration: { $0.egress = EgressPolicy(allowNetworks: Self.networks("127.0.0.0/8")) }) { h in
            let status = try await h.run(EngineHarness.shell("cat /data/inputs/*/0 > /data/outputs/copy.csv", inputs: Self.input(redirecting.url())))
            #expect(status.status == 70, "\(status.error ?? "")")
            #expect(h.output(status.jobId, "copy.csv") == contents)
            let dataset = try #require(status.fileDigests.first { $0.role == .dataset })
            #expect(dataset == FileDigest(role: .dataset, source: EngineHarness.datasetDID, index: 0,
                                          sha256: SHA256Hex.of(contents), size: Int64(contents.utf8.count)))
        }
        #expect(files.connections == 1, "fetched once")
    }

    /// A name is resolved once and the connection goes to the address checked, with the
    /// name kept in the Host header: `pinned.test` is known only to this resolver.
    @Test func aNameIsPinnedToTheAddressThatWasChecked() async throws {
        let files = try ScriptedHTTPServer { _ in .file("pinned") }
        defer { files.stop() }
        let resolver = FixedResolver(answers: ["pinned.test": [Self.ip("127.0.0.1")]])
        try await EngineHarness.with(engineConfiguration: {
            $0.egress = EgressPolicy(allowHosts: ["pinned.test"])
            $0.resolver = resolver
        }) { h in
            let url = "http://pinned.test:\(files.port)/file"
            let status = try await h.run(EngineHarness.shell("cat /data/inputs/*/0 > /data/outputs/copy", inputs: Self.input(url)))
            #expect(status.status == 70, "\(status.error ?? "")")
            #expect(h.output(status.jobId, "copy") == "pinned")
        }
        #expect(files.requestHeads.first?.lowercased().contains("host: pinned.test:\(files.port)") == true, "\(files.requestHeads)")
    }

    /// Staged bytes (checked when the job was started) are the only bytes that run.
    @Test func stagedAlgorithmBytesAreVerifiedAgain() async throws {
        try await EngineHarness.with { h in
            let staging = h.dataDirectory.appendingPathComponent("jobs/.staging/test")
            let code = "echo trusted > /data/outputs/which.txt\n"
            func stage(_ name: String, _ text: String) throws -> StagedFile {
                // Consuming the last staged file removes its directory.
                try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
                let url = staging.appendingPathComponent(name)
                try Data(text.utf8).write(to: url)
                return StagedFile(path: url.path, sha256: SHA256Hex.of(code), size: Int64(code.utf8.count))
            }
            let good = try stage("0", code)
            let ran = try await h.run(h.spec(.staged(good), entrypoint: "sh $ALGO"))
            #expect(ran.status == 70, "\(ran.error ?? "")")
            #expect(h.output(ran.jobId, "which.txt") == "trusted\n")
            #expect(ran.fileDigests.first { $0.role == .algorithm }?.sha256 == SHA256Hex.of(code))
            #expect(!FileManager.default.fileExists(atPath: good.path), "the staged copy is consumed")

            let swapped = try stage("1", "echo other > /data/outputs/which.txt\n")
            let refused = try await h.run(h.spec(.staged(swapped), entrypoint: "sh $ALGO"))
            #expect(refused.status == JobStatusCode.algorithmProvisioningFailed.rawValue)
            #expect(refused.error?.contains("not the ones checked") == true, "\(refused.error ?? "")")
            #expect(h.output(refused.jobId, "which.txt") == nil, "the other bytes never ran")

            let outside = Fixtures.file(bytes: 16)
            let elsewhere = try await h.run(h.spec(.staged(StagedFile(path: outside, sha256: "", size: 16)), entrypoint: "sh $ALGO"))
            #expect(elsewhere.status == JobStatusCode.algorithmProvisioningFailed.rawValue)
            #expect(FileManager.default.fileExists(atPath: outside), "a path outside the staging area is never removed")
        }
    }
}
