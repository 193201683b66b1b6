import Foundation
import SluiceCore
import Testing
@testable import SluiceEVM

@Suite("A chain that does not answer")
struct UnreachableChainTests {
    /// A loopback port nothing listens on: bound, then closed.
    static func closedPortURL() -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        close(fd)
        return "http://127.0.0.1:\(UInt16(bigEndian: addr.sin_port))/secret-api-key"
    }

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
        #expect(ContinuousClock.now - started < .seconds(10))
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
