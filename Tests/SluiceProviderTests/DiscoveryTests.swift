import Foundation
import HummingbirdTesting
import SluiceCore
import SluiceCrypto
import Testing
@testable import SluiceProvider

@Suite("GET / and the read-only routes")
struct DiscoveryTests {
    @Test func rootNamesTheProviderAndItsEndpoints() async throws {
        let t = try TestNode()
        try await t.test { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let json = try #require(response.json)
            let address = t.key.address.checksummed
            #expect(json["providerAddresses"]?["8996"]?.stringValue == address)
            #expect(EthereumAddress.hasValidChecksum(address) && address != address.lowercased())
            #expect(json["chainIds"] == .array([.integer(8996)]))
            #expect(json["software"]?.stringValue == "Sluice")
            let endpoints = try #require(json["serviceEndpoints"]?.objectValue)
            #expect(endpoints["nonce"] == .array([.string("GET"), .string("/api/services/nonce")]))
            #expect(endpoints["computeEnvironments"] == .array([.string("GET"), .string("/api/services/computeEnvironments")]))
        }
    }

    @Test func nonceStartsAtZeroAndFollowsTheStore() async throws {
        let t = try TestNode()
        let alice = "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1"
        try await t.test { client in
            var response = try await client.execute(uri: "/api/services/nonce?userAddress=\(alice)", method: .get)
            #expect(response.status == .ok)
            #expect(response.json == .object(["nonce": .integer(0)]))
            try await t.store.consume(Nonce(1_732_290_000_123), of: EthereumAddress(alice)!)
            response = try await client.execute(uri: "/api/services/nonce?userAddress=\(alice.lowercased())", method: .get)
            #expect(response.json == .object(["nonce": .integer(1_732_290_000_123)]))
        }
    }

    @Test(arguments: ["", "?userAddress=", "?userAddress=0x12", "?userAddress=0xZZ642f0E3c3aF545E7AcBD38b07251B3990914F1", "?user=0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1"])
    func nonceRefusesMalformedAddresses(query: String) async throws {
        let t = try TestNode()
        try await t.test { client in
            let response = try await client.execute(uri: "/api/services/nonce\(query)", method: .get)
            #expect(response.status == .badRequest)
            #expect(response.json?["field"]?.stringValue == "userAddress")
            #expect(response.json?["error"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func environmentsListTheConfiguredOnesWithLiveJobCounts() async throws {
        let counter = Counter()
        let config = NodeConfig(environments: [
            ComputeEnvironment(id: "free-cpu", nCPU: 1, ramGB: 1, diskGB: 2, maxJobs: 3),
            ComputeEnvironment(id: "paid", nCPU: 2, priceMin: 1.5),
        ])
        let t = try TestNode(config: config) { _ in await counter.next() }
        try await t.test { client in
            let first = try await client.execute(uri: "/api/services/computeEnvironments?chainId=8996", method: .get)
            #expect(first.status == .ok)
            let envs = try #require(first.json?.arrayValue)
            #expect(envs.count == 2)
            #expect(envs[0]["id"]?.stringValue == "free-cpu")
            #expect(envs[0]["priceMin"]?.doubleValue == 0)
            #expect(envs[0]["free"] == .bool(true))
            #expect(envs[0]["maxJobs"] == .integer(3))
            #expect(envs[0]["diskGB"]?.doubleValue == 2)
            #expect(envs[0]["consumerAddress"]?.stringValue == t.key.address.checksummed)
            #expect(envs[1]["free"] == .bool(false))
            for key in ["desc", "cpuType", "nCPU", "gpuType", "nGPU", "ramGB", "maxJobDuration", "storageExpiry", "feeToken", "lastSeen", "currentJobs"] {
                #expect(envs[0][key] != nil, "missing \(key)")
            }
            let firstCount = try #require(envs[0]["currentJobs"]?.int64Value)
            let second = try await client.execute(uri: "/api/services/computeEnvironments", method: .get)
            let secondCount = try #require(second.json?.arrayValue?.first?["currentJobs"]?.int64Value)
            #expect(secondCount > firstCount, "currentJobs is read on every request")
        }
    }

    @Test func environmentsOfAnotherChainAreEmptyAndBadChainIdsRefused() async throws {
        let t = try TestNode()
        try await t.test { client in
            let other = try await client.execute(uri: "/api/services/computeEnvironments?chainId=1", method: .get)
            #expect(other.status == .ok)
            #expect(other.json == .array([]))
            let bad = try await client.execute(uri: "/api/services/computeEnvironments?chainId=abc", method: .get)
            #expect(bad.status == .badRequest)
            #expect(bad.json?["field"]?.stringValue == "chainId")
        }
    }
}

actor Counter {
    private var value = 0
    func next() -> Int { value += 1; return value }
}
