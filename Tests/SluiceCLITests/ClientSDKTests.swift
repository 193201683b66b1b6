import Foundation
import SluiceClient
import SluiceCore
import SluiceCrypto
import Testing

@Suite("Swift SDK against a spawned node", .serialized)
struct ClientSDKTests {
    @Test func runsTheSeedFlowAndNeverPaysTwice() async throws {
        let node = try await ClientNode.start()
        defer { node.stop() }
        let client = node.client, bob = node.bob
        let assets = try await node.publish()
        #expect(assets.dataset.services[1].compute?.publisherTrustedAlgorithms.map(\.did) == [assets.algorithm.id.text])
        try await node.fund(assets)

        let env = try await client.freeEnvironment()
        #expect(env.id == "free-cpu")
        let dataset = try ComputeInput(ddo: try await client.resolve(assets.dataset.id.text))
        let algorithm = try ComputeInput(ddo: assets.algorithm)
        #expect(dataset.serviceId == "compute")

        let first = try await client.payForCompute(dataset: dataset, algorithm: algorithm, environment: env, by: bob)
        #expect(first.datasetAction == .ordered && first.algorithmAction == .ordered)
        let datasetToken = try assets.dataset.datatoken().address.checksummed
        #expect(try await client.balance(token: datasetToken, holder: bob.checksummed) == TokenAmount.tokens(4))

        // Paying again with the orders in hand pays nothing.
        let again = try await client.payForCompute(dataset: first.dataset, algorithm: first.algorithm, environment: env, by: bob)
        // The orders are kept, or reused when the fee no longer covers the new validUntil
        // (the clock may have ticked a second): either way no datatoken is paid again.
        #expect([.kept, .reused].contains(again.datasetAction) && [.kept, .reused].contains(again.algorithmAction))
        if again.datasetAction == .kept { #expect(again.dataset.transferTxId == first.dataset.transferTxId) }
        #expect(try await client.balance(token: datasetToken, holder: bob.checksummed) == TokenAmount.tokens(4))

        let started = try await client.startCompute(dataset: again.dataset, algorithm: again.algorithm, environment: env.id, by: bob)
        let seen = Seen()
        let job = try await client.wait(jobId: started.jobId, by: bob, pollInterval: .milliseconds(100)) { await seen.add($0.statusText) }
        #expect(job.succeeded, "\(job)")
        let texts = await seen.texts
        #expect(texts.last == "Job finished")
        #expect(Set(texts).count == texts.count, "one callback per status change")

        let out = node.dir.appendingPathComponent("results")
        let files = try await client.downloadResults(of: job, to: out, by: bob)
        #expect(try String(contentsOf: out.appendingPathComponent("sub/result.txt"), encoding: .utf8) == "rows=4")
        let logs = files.filter { $0.path.contains("/logs/") }
        #expect(!logs.isEmpty)
        let logText = try logs.map { try String(contentsOf: $0, encoding: .utf8) }.joined()
        #expect(logText.contains("counted 4 rows"))
        // The live log of an ended job is its whole algorithm log, and the stream ends.
        let followed = Collected()
        try await client.followLog(jobId: job.jobId, by: bob) { await followed.add($0) }
        #expect(String(decoding: await followed.bytes, as: UTF8.self).contains("counted 4 rows"))

        // The order paid for one job: the next job pays again, once.
        let next = try await client.payForCompute(dataset: again.dataset, algorithm: again.algorithm, environment: env, by: bob)
        #expect(next.datasetAction == .ordered)
        #expect(try await client.balance(token: datasetToken, holder: bob.checksummed) == TokenAmount.tokens(3))

        let deleted = try await client.delete(jobId: job.jobId, by: bob)
        #expect(deleted.code == .jobDeleted)
    }

    @Test func errorsCarryTheNodesMessage() async throws {
        let node = try await ClientNode.start()
        defer { node.stop() }
        let client = node.client
        let unknown = "did:op:" + String(repeating: "0", count: 64)
        do throws(ClientError) {
            _ = try await client.resolve(unknown)
            Issue.record("resolved an unknown DID")
        } catch {
            guard case .node(let status, let message, _) = error else { Issue.record("\(error)"); return }
            #expect(status == 404)
            #expect(message.contains(unknown))
        }

        let assets = try await node.publish()
        // Bob is not the minter: the node says so.
        await #expect(throws: ClientError.self) {
            _ = try await client.mint(datatoken: try assets.dataset.datatoken().address.checksummed, to: node.bob.checksummed,
                                      amount: TokenAmount.tokens(1) ?? .zero, by: node.bob)
        }
        do throws(ClientError) {
            _ = try await client.payForCompute(dataset: try ComputeInput(ddo: assets.dataset), algorithm: try ComputeInput(ddo: assets.algorithm),
                                               environment: try await client.freeEnvironment(), by: node.bob)
            Issue.record("paid without datatokens")
        } catch {
            #expect(error == .notEnoughDatatokens(did: assets.dataset.id.text, serviceId: "compute", balance: "0"))
        }
        do throws(ClientError) {
            _ = try await NodeClient(nodeURL: "http://127.0.0.1:1").environments()
            Issue.record("reached a closed port")
        } catch {
            guard case .unreachable = error else { Issue.record("\(error)"); return }
        }
        #expect(throws: ClientError.invalidNodeURL("localhost:8030")) { try NodeClient(nodeURL: "localhost:8030") }
    }

    @Test func keystoreRoundTripsAndRefusesAWrongPassword() throws {
        let dir = WalletDirectory(url: FileManager.default.temporaryDirectory.appendingPathComponent("sluice-wallets-\(UUID().uuidString)"))
        defer { try? FileManager.default.removeItem(at: dir.url) }
        let wallet = Wallet.create()
        let file = try dir.save(wallet, name: "alice", password: "correct horse", scryptN: 1 << 12)
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try dir.load("alice", password: "correct horse").address == wallet.address)
        #expect(throws: ClientError.wrongPassword(wallet: "alice")) { try dir.load("alice", password: "wrong") }
        #expect(dir.list().map(\.address) == [wallet.checksummed])
        #expect(throws: ClientError.self) { try dir.save(wallet, name: "alice", password: "x") }
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(!text.contains(Hex.encode(wallet.key.secretBytes)), "the key is stored encrypted")
    }

    /// The PBKDF2 test vector of the Web3 Secret Storage definition. (Its scrypt vector uses
    /// r=1 with n=2^18, which RFC 7914 and BoringSSL refuse; scrypt is covered by the round trip.)
    @Test func readsTheWeb3SecretStorageVector() throws {
        let pbkdf2 = #"{"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"6087dab2f9fdbbfaddc31a909735c1e6"},"ciphertext":"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46","kdf":"pbkdf2","kdfparams":{"c":262144,"dklen":32,"prf":"hmac-sha256","salt":"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},"mac":"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"},"id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","version":3,"address":"008aeeda4d805471df9b2a5b0f38a0c3bcba786b"}"#
        for vector in [pbkdf2] {
            let wallet = try Keystore.decrypt(Data(vector.utf8), password: "testpassword", name: "vector")
            #expect(Hex.encode(wallet.key.secretBytes) == "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d")
        }
        #expect(throws: ClientError.wrongPassword(wallet: "vector")) {
            try Keystore.decrypt(Data(pbkdf2.utf8), password: "nope", name: "vector")
        }
    }

    @Test func parsesTokenAmounts() {
        #expect(TokenAmount(tokens: "5") == TokenAmount.tokens(5))
        #expect(TokenAmount(tokens: "0.25")?.wei == 250_000_000_000_000_000)
        #expect(TokenAmount(tokens: "1.5")?.tokensText == "1.5")
        for bad in ["", ".", "-1", "1e3", "1.0000000000000000001", "abc"] { #expect(TokenAmount(tokens: bad) == nil, "\(bad)") }
    }
}

actor Seen {
    var texts: [String] = []
    func add(_ text: String) { texts.append(text) }
}

actor Collected {
    var bytes: [UInt8] = []
    func add(_ chunk: [UInt8]) { bytes += chunk }
}
