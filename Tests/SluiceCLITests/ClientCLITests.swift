import Foundation
import SluiceClient
import SluiceCore
import SluiceTesting
import Testing

/// Runs `sluice` with separate stdout and stderr.
func runClient(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, stdout: String, stderr: String) {
    var env = ProcessInfo.processInfo.environment
    for key in ["SLUICE_NODE", "SLUICE_CHAIN", "SLUICE_WALLET", "SLUICE_WALLET_DIR", "SLUICE_WALLET_PASSWORD"] { env[key] = nil }
    let outcome = try await ChildProcess.run(NodeProcess.executable, arguments, environment: env.merging(environment) { $1 })
    return (outcome.status, outcome.stdout, outcome.stderr)
}

/// One clear sentence on stderr, a non-zero exit, no trace.
func expectOneSentence(_ result: (status: Int32, stdout: String, stderr: String), containing text: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status != 0, "exit status", sourceLocation: sourceLocation)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "one line on stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("sluice: "), "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
    for trace in ["Fatal error", "Stack dump", "backtrace", "DecodingError", "NIO"] {
        #expect(!result.stderr.contains(trace), sourceLocation: sourceLocation)
    }
}

@Suite("sluice client commands", .serialized)
struct ClientCLITests {
    func walletDir() throws -> (URL, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let password = dir.appendingPathComponent("pw").path
        try Data("secret\n".utf8).write(to: URL(fileURLWithPath: password))
        return (dir, password)
    }

    @Test func badInputWithoutANodeGivesOneSentence() async throws {
        let (dir, password) = try walletDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        expectOneSentence(try await runClient(["env", "list", "--node", "localhost:8030"]), containing: "is not a node URL")
        expectOneSentence(try await runClient(["env", "list", "--node", "http://127.0.0.1:1"]), containing: "Cannot reach a node at http://127.0.0.1:1")
        // The common options may come before the command's name too.
        expectOneSentence(try await runClient(["--node", "http://127.0.0.1:1", "env", "list"]), containing: "Cannot reach a node at http://127.0.0.1:1")
        expectOneSentence(try await runClient(["--node=http://127.0.0.1:1", "--json", "env", "list"]), containing: "Cannot reach a node at http://127.0.0.1:1")

        let created = try await runClient(["wallet", "create", "alice", "--wallet-dir", dir.path, "--password-file", password])
        #expect(created.status == 0, "\(created.stderr)")
        let wrong = dir.appendingPathComponent("wrong").path
        try Data("not it\n".utf8).write(to: URL(fileURLWithPath: wrong))
        let did = "did:op:" + String(repeating: "1", count: 64)
        expectOneSentence(try await runClient(["asset", "trust", did, did, "--wallet", "alice", "--wallet-dir", dir.path,
                                         "--password-file", wrong, "--node", "http://127.0.0.1:1"]),
                          containing: "Wrong password for wallet alice")
        expectOneSentence(try await runClient(["asset", "resolve", "did:op:nothex", "--node", "http://127.0.0.1:1"]), containing: "is not a DID")
        expectOneSentence(try await runClient(["wallet", "address", "nobody", "--wallet-dir", dir.path]), containing: "No wallet nobody")

        let listed = try await runClient(["wallet", "list", "--wallet-dir", dir.path, "--json"])
        let entries = try JSONDecoder().decode([[String: String]].self, from: Data(listed.stdout.utf8))
        #expect(entries.map { $0["name"] } == ["alice"])
    }

    @Test func badInputAgainstANodeGivesOneSentence() async throws {
        let node = try await ClientNode.start()
        defer { node.stop() }
        let (dir, password) = try walletDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let walletDir = WalletDirectory(url: dir.appendingPathComponent("wallets"))
        try walletDir.save(node.bob, name: "bob", password: "secret", scryptN: 1 << 12)
        let env = ["SLUICE_NODE": node.url, "SLUICE_WALLET_DIR": walletDir.url.path, "SLUICE_WALLET": "bob"]
        let bob = ["--password-file", password]

        let unknown = "did:op:" + String(repeating: "0", count: 64)
        expectOneSentence(try await runClient(["asset", "resolve", unknown], environment: env), containing: "no asset with DID \(unknown)")

        let assets = try await node.publish()
        let start = ["compute", "start", assets.dataset.id.text, assets.algorithm.id.text] + bob
        expectOneSentence(try await runClient(start, environment: env), containing: "Not enough datatokens")

        try await node.fund(assets, tokens: 1)
        let ok = try await runClient(start + ["--wait", "--out", dir.appendingPathComponent("out").path, "--json"], environment: env)
        #expect(ok.status == 0, "\(ok.stderr)")
        let job = try JSONDecoder().decode(JobStatus.self, from: Data(ok.stdout.utf8))
        #expect(job.succeeded)
        #expect(try String(contentsOfFile: dir.appendingPathComponent("out/sub/result.txt").path, encoding: .utf8) == "rows=4")
        #expect(ok.stderr.contains("Job finished"), "progress lines on stderr: \(ok.stderr)")

        // The receipt verifies offline against the node's address and the downloaded outputs;
        // one changed byte of an output fails it, in one sentence.
        let info = try await node.client.info()
        let nodeAddress = try #require(info.providerAddresses.values.first)
        let receipt = dir.appendingPathComponent("out/logs/receipt.json").path
        let verified = try await runClient(["receipt", "verify", receipt, "--node-address", nodeAddress], environment: env)
        #expect(verified.status == 0 && verified.stdout.contains("receipt of job \(job.jobId) verified"), "\(verified)")
        #expect(verified.stdout.contains("output sub/result.txt sha256 "), "\(verified.stdout)")
        try Data("rows=5".utf8).write(to: dir.appendingPathComponent("out/sub/result.txt"))
        expectOneSentence(try await runClient(["receipt", "verify", receipt, "--node-address", nodeAddress], environment: env),
                          containing: "output sub/result.txt differs from the one the receipt names")

        let logs = try await runClient(["compute", "logs", job.jobId] + bob, environment: env)
        #expect(logs.status == 0 && logs.stdout.contains("counted 4 rows"), "\(logs)")
        let followed = try await runClient(["compute", "logs", job.jobId, "--follow"] + bob, environment: env)
        #expect(followed.status == 0 && followed.stdout == logs.stdout, "the live log of an ended job is its whole log: \(followed)")
        // A job whose dataset requires no owner's release cannot be reviewed.
        expectOneSentence(try await runClient(["compute", "review", job.jobId, "--approve"] + bob, environment: env),
                          containing: "is not waiting for its data owner's review")
        let both = try await runClient(["compute", "review", job.jobId, "--approve", "--reject"] + bob, environment: env)
        #expect(both.status != 0 && both.stderr.contains("exactly one of --approve and --reject"), "\(both)")
        let other = try await runClient(["compute", "status", job.jobId, "--json"] + bob, environment: env)
        #expect(other.status == 0)

        // Bob's one datatoken each is spent: a second job is refused before anything is paid.
        expectOneSentence(try await runClient(start, environment: env), containing: "Not enough datatokens to order service compute")

        let failing = try await node.publish(algorithm: ClientNode.failing)
        try await node.fund(failing)
        let failed = try await runClient(["compute", "start", failing.dataset.id.text, failing.algorithm.id.text, "--wait"] + bob, environment: env)
        #expect(failed.status != 0)
        let lastLine = failed.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(lastLine.hasPrefix("sluice: Job ") && lastLine.contains("failed: Algorithm failed"), "\(failed.stderr)")
        #expect(lastLine.contains("exit code 3"), "\(failed.stderr)")
    }
}
