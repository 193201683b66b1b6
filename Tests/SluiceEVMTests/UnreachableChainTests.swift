import Foundation
import SluiceCore
import SluiceEVMTesting
import Testing
@testable import SluiceEVM

@Suite("A chain that does not answer")
struct UnreachableChainTests {
    static func closedPortURL() -> String { ClosedPort.rpcURL() }

    @Test func theLedgerAnswers503WithoutLeakingTheURL() async throws {
        let config = RPCConfiguration(url: Self.closedPortURL(), requestTimeout: .seconds(2), retries: 2, backoff: .milliseconds(20))
        let ledger = EVMLedger(client: JSONRPCClient(configuration: config))
        let started = ContinuousClock.now
        do {
            _ = try await ledger.order("0x" + String(repeating: "ab", count: 32))
            Issue.record("an unreachable chain produced an answer")
        } catch let error as RequestError {
            #expect(error.kind == .unavailable)
            #expect(error.message.contains("does not answer"))
            #expect(!error.message.contains("secret-api-key"))
        }
        // (retries + 1) × timeout is 6 s; the bound only catches a hang, with room for a loaded 2-core machine.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func theClientRetriesThenReportsUnreachable() async throws {
        let config = RPCConfiguration(url: Self.closedPortURL(), requestTimeout: .seconds(2), retries: 1, backoff: .milliseconds(10))
        let client = JSONRPCClient(configuration: config)
        await #expect(throws: RPCError.self) { try await client.blockNumber() }
        do {
            _ = try await client.chainId()
        } catch {
            if case .unreachable(let endpoint, _) = error {
                #expect(!endpoint.contains("secret"))
            } else {
                Issue.record("expected unreachable, got \(error)")
            }
        }
    }

    @Test func chainConfigParsesAndNamesBadKeys() throws {
        let ok = try ChainConfig.parse(Array(#"{"rpcUrl":"http://127.0.0.1:8545","chainId":8996,"contracts":{"ERC721Factory":"0x63f58053c9499E1104a6f6c6d2581d6D83067EEB","Ocean":"0x0000000000000000000000000000000000000001"},"startBlock":5,"confirmations":3}"#.utf8))
        #expect(ok.chainId == 8996)
        #expect(ok.startBlock == 5)
        #expect(ok.confirmations == 3)
        #expect(ok.nftFactory == EthereumAddress("0x63f58053c9499E1104a6f6c6d2581d6D83067EEB"))
        #expect(throws: ChainConfig.Invalid.self) { try ChainConfig.parse(Array(#"{"rpcUrl":"ftp://x","chainId":1}"#.utf8)) }
        #expect(throws: ChainConfig.Invalid.self) { try ChainConfig.parse(Array(#"{"rpcUrl":"http://x","chainId":1,"confirmation":2}"#.utf8)) }
        #expect(throws: ChainConfig.Invalid.self) { try ChainConfig.parse(Array(#"{"rpcUrl":"http://x"}"#.utf8)) }
    }
}
