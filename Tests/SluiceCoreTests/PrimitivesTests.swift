import Foundation
import Testing
@testable import SluiceCore

@Suite("Primitives")
struct PrimitivesTests {
    @Test func hexRoundTrips() {
        #expect(Hex.decode("0x00ff10") == [0, 255, 16])
        #expect(Hex.decode("00FF10") == [0, 255, 16])
        #expect(Hex.decode("0x") == [])
        #expect(Hex.decode("0x0") == nil)
        #expect(Hex.decode("0xg0") == nil)
        #expect(Hex.decode("0x0x00") == nil)
        #expect(Hex.encode([0, 255, 16], prefix: true) == "0x00ff10")
    }

    @Test(arguments: ["", "0x", "0x123", "1a642f0E3c3aF545E7AcBD38b07251B3990914F1", "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1aa", "0xZa642f0E3c3aF545E7AcBD38b07251B3990914F1"])
    func malformedAddressesAreRefused(text: String) {
        #expect(EthereumAddress(text) == nil)
    }

    @Test func addressesCompareCaseInsensitively() {
        #expect(EthereumAddress("0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1") == EthereumAddress("0x1A642F0E3C3AF545E7ACBD38B07251B3990914F1"))
    }

    @Test(arguments: ["", "-1", "+1", "1.0", "1e3", "abc", " 1", "9223372036854775808", "99999999999999999999999"])
    func malformedNoncesAreRefused(text: String) {
        #expect(Nonce(text: text) == nil)
    }

    @Test func noncesKeepTheirText() throws {
        let n = try #require(Nonce(text: "007"))
        #expect(n.value == 7)
        #expect(n.text == "007")
        #expect(Nonce(text: "9223372036854775807")?.value == UInt64(Int64.max))
    }

    @Test func configDecodesWithDefaultsAndReportsProblems() throws {
        let json = #"{"port": 9000, "environments": [{"id": "small", "ramGB": 0.5}, {"id": "small", "nCPU": 0}]}"#
        let config = try JSONDecoder().decode(NodeConfig.self, from: Data(json.utf8))
        #expect(config.port == 9000)
        #expect(config.chainId == 8996)
        #expect(config.host == "127.0.0.1")
        #expect(config.environments[0].ramGB == 0.5)
        #expect(config.environments[0].maxJobDuration == 600)
        let problems = config.problems()
        #expect(problems.contains { $0.contains("declared twice") })
        #expect(problems.contains { $0.contains("nCPU") })
        #expect(NodeConfig().problems().isEmpty)
    }

    @Test func jsonValueKeepsIntegersApart() throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"a": 3, "b": 3.5, "c": "x", "d": [true, null]}"#.utf8))
        #expect(value["a"] == .integer(3))
        #expect(value["b"] == .number(3.5))
        #expect(value["c"]?.stringValue == "x")
        #expect(value["d"] == .array([.bool(true), .null]))
        #expect(value["a"]?.scalarText == "3")
    }
}
