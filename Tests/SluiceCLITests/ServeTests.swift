import Foundation
import SluiceCore
import SluiceCrypto
import Testing

@Suite("sluice serve", .serialized)
struct ServeTests {
    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func keepsItsProviderAddressAcrossRestartsAndStopsCleanly() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataDir = dir.appendingPathComponent("data").path

        let first = try await NodeProcess(arguments: ["--data-dir", dataDir])
        let (status, body) = try await first.get("/")
        #expect(status == 200)
        let root = try JSONDecoder().decode(JSONValue.self, from: body)
        let advertised = try #require(root["providerAddresses"]?["8996"]?.stringValue)
        #expect(first.stop() == 0, "SIGTERM ends the node cleanly")

        let key = try #require(try NodeKeyFile.load(at: dataDir + "/node.key"))
        #expect(advertised == key.address.checksummed)
        #expect(!first.log.contains(Hex.encode(key.secretBytes)), "the node key never reaches the log")

        let attributes = try FileManager.default.attributesOfItem(atPath: dataDir + "/node.key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let second = try await NodeProcess(arguments: ["--data-dir", dataDir])
        let again = try JSONDecoder().decode(JSONValue.self, from: try await second.get("/").body)
        #expect(again["providerAddresses"]?["8996"]?.stringValue == advertised)
        #expect(second.stop() == 0)
    }

    @Test func readsEnvironmentsAndChainFromAConfigFile() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let configPath = dir.appendingPathComponent("sluice.json")
        try Data(#"{"chainId": 1337, "environments": [{"id": "tiny", "ramGB": 0.25, "maxJobs": 1}]}"#.utf8).write(to: configPath)
        let node = try await NodeProcess(arguments: ["--data-dir", dir.appendingPathComponent("data").path, "--config", configPath.path])
        defer { _ = node.stop() }
        let envs = try JSONDecoder().decode(JSONValue.self, from: try await node.get("/api/services/computeEnvironments").body)
        #expect(envs.arrayValue?.count == 1)
        #expect(envs.arrayValue?.first?["id"]?.stringValue == "tiny")
        #expect(envs.arrayValue?.first?["ramGB"]?.doubleValue == 0.25)
        let root = try JSONDecoder().decode(JSONValue.self, from: try await node.get("/").body)
        #expect(root["chainIds"] == .array([.integer(1337)]))
    }

    @Test func refusesABadConfigWithOneClearMessage() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let configPath = dir.appendingPathComponent("sluice.json")
        try Data(#"{"environments": [{"id": "a", "nCPU": "two"}]}"#.utf8).write(to: configPath)
        let typeError = try await runSluice(["serve", "--data-dir", dir.path + "/d", "--config", configPath.path])
        #expect(typeError.status != 0)
        #expect(typeError.output.contains("environments[0].nCPU"))

        try Data(#"{"environments": [{"id": "a", "maxJobs": 0}]}"#.utf8).write(to: configPath)
        let invalid = try await runSluice(["serve", "--data-dir", dir.path + "/d", "--config", configPath.path])
        #expect(invalid.status != 0)
        #expect(invalid.output.contains("maxJobs must be at least 1"))
        #expect(!invalid.output.contains("Fatal error"))
    }

    @Test func refusesAFetchPolicyItCannotReadNamingTheKey() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let configPath = dir.appendingPathComponent("sluice.json")
        let cases = [
            (#"{"fetch": {"allowNetwork": ["10.0.0.0/8"]}}"#, #"fetch.allowNetwork: unknown key "allowNetwork""#),
            (#"{"fetch": {"allowNetworks": ["10.0.0.0/8", "10.0.0/8"]}}"#, "fetch.allowNetworks[1]"),
            (#"{"fetch": {"allowNetworks": "10.0.0.0/8"}}"#, "fetch.allowNetworks should be"),
            (#"{"fetch": {"allowHosts": ["https://files.corp"]}}"#, "fetch.allowHosts[0]"),
        ]
        for (config, expected) in cases {
            try Data(config.utf8).write(to: configPath)
            let refused = try await runSluice(["serve", "--data-dir", dir.path + "/d", "--config", configPath.path])
            #expect(refused.status != 0, "\(config)")
            #expect(refused.output.contains(expected), "\(config): \(refused.output)")
        }
    }
}
