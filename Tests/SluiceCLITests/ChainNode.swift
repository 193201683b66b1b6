import Foundation
import SluiceClient
import SluiceCore
import SluiceCrypto
import SluiceEVM
import SluiceEVMTesting
import SluiceTesting
import Testing

/// A `sluice serve --chain` on the EVM harness (Ocean's contracts on py-evm, started by
/// `scripts/evm-harness.sh`), holding the provider key the harness was started with, and
/// two fresh wallets funded with gas money: Alice publishes, Bob computes.
struct ChainNode {
    static var configured: Bool { Harness.configured }
    static let disabledReason = Comment(rawValue: Harness.disabledReason)

    let node: ClientNode
    let rpc: JSONRPCClient
    let chainFile: URL
    let chainConfig: ChainConfig

    var alice: Wallet { node.alice }
    var bob: Wallet { node.bob }

    /// `configure` changes the node's config (its keys as in the README) before it starts.
    static func start(configure: (inout [String: JSONValue]) -> Void = { _ in }) async throws -> ChainNode {
        let harness = try Harness.load()
        let url = harness.client.configuration.url, chainId = Int64(harness.chainId)
        guard let factory = harness.factory?.checksummed,
              let funder = harness.info["accounts"]?["all"]?.arrayValue?.last?["address"]?.stringValue else {
            throw Harness.Unusable(description: "the harness JSON lacks the factory or its accounts")
        }
        let key = harness.providerKey
        let rpc = JSONRPCClient(configuration: RPCConfiguration(url: url, requestTimeout: .seconds(30)))
        let head = try await rpc.blockNumber()
        let chain: JSONValue = .object([
            "rpcUrl": .string(url), "chainId": .integer(chainId), "contracts": .object(["ERC721Factory": .string(factory)]),
            "startBlock": .integer(Int64(head)), "pollIntervalSeconds": .number(0.2), "requestTimeoutSeconds": .integer(30),
        ])
        let node = try await ClientNode.start(chain: chain, providerKey: key, configure: configure)
        let chainFile = node.dir.appendingPathComponent("chain.json")
        let chainConfig = try ChainConfig.parse(Array(chain.compactJSON().utf8))
        let started = ChainNode(node: node, rpc: rpc, chainFile: chainFile, chainConfig: chainConfig)
        // Fresh keys that no other test signs with, so their nonces never race; the
        // harness's unlocked account pays their gas money.
        for wallet in [node.alice, node.bob] {
            _ = try await rpc.call("eth_sendTransaction", [.object([
                "from": .string(funder), "to": .string(wallet.checksummed), "value": .string("0x8ac7230489e80000"), "gas": .string("0x5208"),
            ])])
        }
        return started
    }

    /// The balance as the chain itself holds it.
    func balance(_ token: String, of holder: Wallet) async throws -> TokenAmount? {
        guard let address = EthereumAddress(token) else { return nil }
        let out = try await rpc.call(OceanContracts.balanceOf, on: address, [.address(holder.address)])
        return out.first?.uintValue?.uint128.map { TokenAmount(wei: $0) }
    }

    func stop() { node.stop() }
}
