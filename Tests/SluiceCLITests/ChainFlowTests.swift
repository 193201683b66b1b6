import Foundation
import SluiceClient
import SluiceCore
import SluiceEVM
import Testing

/// The seed's flow on a real EVM chain through the `sluice` CLI: Alice publishes a
/// dataset and an algorithm (data NFTs and datatokens from Ocean's ERC721Factory, DDOs
/// with setMetaData, indexed by the node), trusts the algorithm, mints to Bob; Bob orders
/// both on chain and computes. Each step is checked against the chain itself.
@Suite("The compute flow on the EVM harness through the CLI", .serialized, .enabled(if: ChainNode.configured, ChainNode.disabledReason))
struct ChainFlowTests {
    @Test func publishTrustMintOrderComputeAndFetchTheResult() async throws {
        let chain = try await ChainNode.start()
        defer { chain.stop() }
        let node = chain.node
        let wallets = WalletDirectory(url: node.dir.appendingPathComponent("wallets"))
        try wallets.save(chain.alice, name: "alice", password: "secret", scryptN: 1 << 12)
        try wallets.save(chain.bob, name: "bob", password: "secret", scryptN: 1 << 12)
        let env = ["SLUICE_NODE": node.url, "SLUICE_CHAIN": chain.chainFile.path, "SLUICE_WALLET_DIR": wallets.url.path,
                   "SLUICE_WALLET_PASSWORD": "secret"]
        func sluice(_ arguments: [String]) async throws -> String {
            let result = try await runClient(arguments, environment: env)
            #expect(result.status == 0, "sluice \(arguments.joined(separator: " ")): \(result.stderr)")
            return result.stdout
        }

        let csv = try node.file("chain-data.csv", "x,y\n1,2\n3,4\n5,6\n")
        let algo = try node.file("chain-algo.py", ClientNode.countRows)
        let dataset = try JSONDecoder().decode(DDO.self, from: Data(try await sluice(
            ["asset", "publish-dataset", "--local", csv, "--name", "rows on chain", "--wallet", "alice", "--json"]).utf8))
        let algorithm = try JSONDecoder().decode(DDO.self, from: Data(try await sluice(
            ["asset", "publish-algorithm", "--local", algo, "--name", "count on chain", "--wallet", "alice", "--json"]).utf8))

        // What the node serves came from the chain: the event of the setMetaData
        // transaction, the NFT the factory lists, owned by Alice.
        let factory = try #require(chain.chainConfig.nftFactory)
        for ddo in [dataset, algorithm] {
            let nft = ddo.nftAddress
            #expect(try await chain.rpc.call(OceanContracts.erc721List, on: factory, [.address(nft)]).first?.addressValue == nft)
            #expect(EthereumAddress(ddo.nft.owner) == chain.alice.address)
            let tx = try #require(ddo.event?["tx"]?.stringValue)
            let receipt = try #require(try await chain.rpc.transactionReceipt(tx))
            #expect(receipt.status == 1 && receipt.from == chain.alice.address)
            // One datatoken, as ocean-lib publishes: the services share it, told apart by index.
            #expect(Set(ddo.datatokens.map(\.address)).count == 1 && ddo.datatokens.count == ddo.services.count)
            #expect(ddo.services.allSatisfy { $0.datatokenAddress.checksummed == ddo.datatokens.first?.address })
        }
        #expect(dataset.chainId == chain.chainConfig.chainId && dataset.services.map(\.id) == ["access", "compute"])

        let trusted = try JSONDecoder().decode(DDO.self, from: Data(try await sluice(
            ["asset", "trust", dataset.id.text, algorithm.id.text, "--wallet", "alice", "--json"]).utf8))
        #expect(trusted.services[1].compute?.publisherTrustedAlgorithms.map(\.did) == [algorithm.id.text])
        // The trusted list is in the DDO on chain, so a node indexing from scratch sees it too.
        #expect(trusted.event?["tx"]?.stringValue != dataset.event?["tx"]?.stringValue)

        // Bob is neither the dataset's owner nor its datatoken's minter: the client refuses
        // the first before any transaction, the chain the second.
        expectOneSentence(try await runClient(["asset", "trust", dataset.id.text, algorithm.id.text, "--wallet", "bob"], environment: env),
                          containing: "Only the owner of \(dataset.id.text)")
        expectOneSentence(try await runClient(["token", "mint", dataset.id.text, "--to", chain.bob.checksummed, "--amount", "1",
                                         "--wallet", "bob"], environment: env), containing: "refused to mint")
        #expect(try await chain.balance(dataset.datatokens[0].address, of: chain.bob) == TokenAmount.zero)

        // A wallet without gas money is told so in one sentence.
        try wallets.save(Wallet.create(), name: "carol", password: "secret", scryptN: 1 << 12)
        expectOneSentence(try await runClient(["token", "mint", dataset.id.text, "--to", chain.bob.checksummed, "--amount", "1",
                                         "--wallet", "carol"], environment: env), containing: "too little of chain")

        for ddo in [dataset, algorithm] {
            _ = try await sluice(["token", "mint", ddo.id.text, "--to", chain.bob.checksummed, "--amount", "1", "--wallet", "alice"])
            #expect(try await chain.balance(ddo.datatokens[0].address, of: chain.bob) == TokenAmount.tokens(1))
        }

        let out = node.dir.appendingPathComponent("out")
        let started = try await sluice(["compute", "start", dataset.id.text, algorithm.id.text, "--wallet", "bob", "--wait",
                                  "--out", out.path, "--json"])
        let job = try JSONDecoder().decode(JobStatus.self, from: Data(started.utf8))
        #expect(job.succeeded, "\(job)")
        #expect(try String(contentsOfFile: out.appendingPathComponent("sub/result.txt").path, encoding: .utf8) == "rows=4")
        // Bob paid one datatoken of each on chain.
        for ddo in [dataset, algorithm] {
            #expect(try await chain.balance(ddo.datatokens[0].address, of: chain.bob) == TokenAmount.zero)
        }
        let balance = try await sluice(["token", "balance", dataset.id.text, "--holder", chain.bob.checksummed, "--json"])
        #expect(balance.contains("\"0\""), "\(balance)")

        // Without datatokens left, a second job is refused before anything is sent.
        let again = try await runClient(["compute", "start", dataset.id.text, algorithm.id.text, "--wallet", "bob"], environment: env)
        expectOneSentence(again, containing: "Not enough datatokens")
    }

    @Test func theSDKReusesAChainOrderInsteadOfPayingAgain() async throws {
        let chain = try await ChainNode.start()
        defer { chain.stop() }
        let client = chain.node.client
        let assets: (dataset: DDO, algorithm: DDO)
        do {
            assets = try await chain.node.publish()
        } catch {
            Issue.record("publishing failed: \(error)\nnode log:\n\(chain.node.process.log)")
            return
        }
        try await chain.node.fund(assets, tokens: 2)
        let env = try await client.freeEnvironment()
        let dataset = try ComputeInput(ddo: assets.dataset), algorithm = try ComputeInput(ddo: assets.algorithm)

        let first = try await client.payForCompute(dataset: dataset, algorithm: algorithm, environment: env, by: chain.bob)
        #expect(first.datasetAction == .ordered && first.algorithmAction == .ordered)
        let token = try assets.dataset.datatoken().address.checksummed
        #expect(try await chain.balance(token, of: chain.bob) == TokenAmount.tokens(1))

        // A later validUntil needs a new fee: the order is reused on chain, no datatoken paid.
        let later = Date().addingTimeInterval(3 * 86400)
        let again = try await client.payForCompute(dataset: first.dataset, algorithm: first.algorithm, environment: env,
                                                   validUntil: later, by: chain.bob)
        #expect(again.datasetAction == .reused, "\(again.datasetAction)")
        #expect(again.dataset.transferTxId != first.dataset.transferTxId)
        #expect(try await chain.balance(token, of: chain.bob) == TokenAmount.tokens(1))
        let reuseId = try #require(again.dataset.transferTxId)
        let reuse = try #require(try await chain.rpc.transactionReceipt(reuseId))
        #expect(reuse.logs.contains { $0.topics.first == OceanContracts.orderReused.topic })

        let started = try await client.startCompute(dataset: again.dataset, algorithm: again.algorithm, environment: env.id, by: chain.bob)
        let job = try await client.wait(jobId: started.jobId, by: chain.bob, pollInterval: .milliseconds(100))
        #expect(job.succeeded, "\(job)")

        // Alice revokes the algorithm on chain: once indexed, no job may use it, paid or not.
        let algorithmNFT = assets.algorithm.nftAddress
        let sender = TransactionSender(client: chain.rpc, chainId: chain.chainConfig.chainId, key: chain.alice.key)
        _ = try await sender.transact(OceanContracts.setMetaDataState, on: algorithmNFT, [.uint(MetadataState.revoked.rawValue)])
        var state = 0
        for _ in 0..<200 where state != MetadataState.revoked.rawValue {
            state = try await client.resolve(assets.algorithm.id.text).nft.state
            if state != MetadataState.revoked.rawValue { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(state == MetadataState.revoked.rawValue)
        do {
            _ = try await client.payForCompute(dataset: dataset, algorithm: algorithm, environment: env, by: chain.bob)
            Issue.record("a revoked algorithm could be paid for")
        } catch {
            #expect(error.description.contains("revoked") && error.description.contains("HTTP 403"), "\(error)")
        }
        // Nothing was paid for it.
        #expect(try await chain.balance(try assets.algorithm.datatoken().address.checksummed, of: chain.bob) == TokenAmount.tokens(1))
    }

    /// The error `publishDataset` throws, or nil when it publishes.
    func publishRefusal(_ client: NodeClient, file: String, by wallet: Wallet) async -> ClientError? {
        do {
            _ = try await client.publishDataset(.path(file), AssetDescription(name: "x", author: "a"), by: wallet)
            return nil
        } catch {
            return error
        }
    }

    @Test func aClientAndANodeOnDifferentLedgersAreToldSoBeforeAnythingIsSent() async throws {
        let chain = try await ChainNode.start()
        defer { chain.stop() }
        let csv = try chain.node.file("mixed.csv", "x\n1\n")
        // The node follows the chain; a client on the embedded ledger is refused, pointing at --chain.
        let onEmbedded = await publishRefusal(try NodeClient(nodeURL: chain.node.url), file: csv, by: chain.alice)
        #expect(onEmbedded?.description.contains("HTTP 409") == true && onEmbedded?.description.contains("--chain") == true,
                "\(String(describing: onEmbedded))")

        // A node on its own ledger; a client with a chain config is refused before any transaction.
        let embedded = try await ClientNode.start()
        defer { embedded.stop() }
        let nonce = try await chain.rpc.transactionCount(chain.alice.address)
        let onChain = await publishRefusal(try NodeClient(nodeURL: embedded.url, ledger: ChainLedger(config: chain.chainConfig)),
                                           file: csv, by: chain.alice)
        #expect(onChain?.description.contains("follows no chain") == true, "\(String(describing: onChain))")
        #expect(try await chain.rpc.transactionCount(chain.alice.address) == nonce)
    }

    @Test func aChainThatDoesNotAnswerIsOneSentence() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-chain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("chain.json")
        try Data(#"{"rpcUrl": "http://127.0.0.1:1/secret-key", "chainId": 8996, "requestTimeoutSeconds": 1, "retries": 0}"#.utf8).write(to: file)
        let result = try await runClient(["token", "balance", "0x" + String(repeating: "1", count: 40), "--holder",
                                    "0x" + String(repeating: "2", count: 40), "--chain", file.path, "--node", "http://127.0.0.1:1"])
        expectOneSentence(result, containing: "does not answer")
        #expect(!result.stderr.contains("secret-key"))
        try Data(#"{"rpcUrl": "ftp://x", "chainId": 8996}"#.utf8).write(to: file)
        expectOneSentence(try await runClient(["env", "list", "--chain", file.path]), containing: "rpcUrl must be an http(s) URL")
    }
}
