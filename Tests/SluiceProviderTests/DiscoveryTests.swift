import Foundation
import HTTPTypes
import HummingbirdTesting
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceEngine
@testable import SluiceProvider
import SluiceStore
import Testing

@Suite("GET / and the read-only routes")
struct DiscoveryTests {
    @Test func rootNamesTheProviderAndItsEndpoints() async throws {
        let t = try await TestNode()
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
        let t = try await TestNode()
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
        let t = try await TestNode()
        try await t.test { client in
            let response = try await client.execute(uri: "/api/services/nonce\(query)", method: .get)
            #expect(response.status == .badRequest)
            #expect(response.json?["field"]?.stringValue == "userAddress")
            #expect(response.json?["error"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func environmentsListTheConfiguredOnesWithLiveJobCounts() async throws {
        let config = NodeConfig(environments: [
            try TestNode.environment { $0.maxJobs = 3; $0.diskGB = 2 },
            ComputeEnvironment(id: "paid", nCPU: 2, priceMin: 1.5),
        ])
        let t = try await TestNode(config: config)
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
            #expect(envs[0]["currentJobs"] == .integer(0))
            // A running job shows at once.
            let input = t.dataDir.appendingPathComponent("input.csv")
            try Data("x\n1\n".utf8).write(to: input)
            let job = try await t.node.engine.submit(JobSpecification(
                owner: t.key.address.checksummed, environment: "free-cpu",
                inputs: [JobInput(did: "did:op:" + String(repeating: "ab", count: 32), files: [.path(input.path)])],
                algorithm: JobAlgorithm(code: .raw("sleep 20"), container: ContainerSection(entrypoint: "sh $ALGO", image: "shell", tag: "1", checksum: "sha256:00"))))
            var running: JSONValue?
            for _ in 0..<100 {
                running = try await client.execute(uri: "/api/services/computeEnvironments", method: .get).json?.arrayValue?.first?["currentJobs"]
                if running == .integer(1) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(running == .integer(1), "currentJobs is read on every request")
            _ = try await t.node.engine.stop(id: job.jobId)
        }
    }

    @Test func environmentsOfAnotherChainAreEmptyAndBadChainIdsRefused() async throws {
        let t = try await TestNode()
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

