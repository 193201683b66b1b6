import Foundation
import SluiceCore
import Testing

@Suite("egress policy")
struct EgressPolicyTests {
    func address(_ text: String) throws -> IPAddress { try #require(IPAddress(text), "\(text) parses") }
    func network(_ text: String) throws -> IPNetwork { try #require(IPNetwork(text), "\(text) parses") }

    @Test func addressesParseStrictly() throws {
        #expect(try address("10.0.0.1").bytes == [10, 0, 0, 1])
        #expect(try address("[::1]").bytes == Array(repeating: 0, count: 15) + [1])
        #expect(try address("::ffff:127.0.0.1").description == "::ffff:127.0.0.1")
        // Shorthand forms are names to the policy; the resolver's answer is what is checked.
        for text in ["127.1", "0x7f.0.0.1", "2130706433", "010.0.0.1", "", "1.2.3.4.5", "::1%lo", "fe80::1/64", "[::1", "example.org"] {
            #expect(IPAddress(text) == nil, "\(text) is not an address literal")
        }
    }

    @Test func networksParseAndContain() throws {
        let ten = try network("10.0.0.0/8")
        #expect(ten.contains(try address("10.255.1.2")))
        #expect(!ten.contains(try address("11.0.0.1")))
        #expect(try network("10.1.2.3/8") == ten, "host bits are cleared")
        #expect(try network("192.168.1.7").prefixLength == 32)
        #expect(try network("192.168.1.7").contains(try address("192.168.1.7")))
        #expect(!(try network("192.168.1.7")).contains(try address("192.168.1.8")))
        let cgnat = try network("100.64.0.0/10")
        #expect(cgnat.contains(try address("100.127.255.255")))
        #expect(!cgnat.contains(try address("100.128.0.0")))
        let linkLocal6 = try network("fe80::/10")
        #expect(linkLocal6.contains(try address("febf::1")))
        #expect(!linkLocal6.contains(try address("fec0::1")))
        #expect(try network("::/0").contains(try address("2001:db8::1")))
        #expect(!(try network("::/0")).contains(try address("1.2.3.4")), "families never match")
        #expect(!(try network("0.0.0.0/0")).contains(try address("::ffff:1.2.3.4")))
        for text in ["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0/8", "/8", "10.0.0.0/+8", "10.0.0.0/٨"] {
            #expect(IPNetwork(text) == nil, "\(text) is refused")
        }
    }

    @Test func embeddedIPv4Forms() throws {
        #expect(try address("::ffff:10.0.0.1").embeddedIPv4 == (try address("10.0.0.1")), "mapped")
        #expect(try address("::ffff:a00:1").embeddedIPv4 == (try address("10.0.0.1")), "mapped, hex form")
        #expect(try address("::127.0.0.1").embeddedIPv4 == (try address("127.0.0.1")), "compatible")
        #expect(try address("64:ff9b::a9fe:a9fe").embeddedIPv4 == (try address("169.254.169.254")), "NAT64")
        #expect(try address("2002:c0a8:101::1").embeddedIPv4 == (try address("192.168.1.1")), "6to4")
        #expect(try address("2001:db8::1").embeddedIPv4 == nil)
        #expect(try address("10.0.0.1").embeddedIPv4 == nil)
    }

    @Test func classifiesEveryRefusedKind() throws {
        let expected: [(String, AddressCategory)] = [
            ("127.0.0.1", .loopback), ("127.255.255.254", .loopback), ("::1", .loopback), ("::ffff:127.0.0.1", .loopback),
            ("10.0.0.1", .privateNetwork), ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork),
            ("192.168.0.1", .privateNetwork), ("::ffff:192.168.0.1", .privateNetwork), ("64:ff9b::a00:1", .privateNetwork),
            ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal), ("::ffff:169.254.169.254", .linkLocal),
            ("100.64.0.1", .sharedAddressSpace), ("fc00::1", .uniqueLocal), ("fd12:3456::1", .uniqueLocal),
            ("224.0.0.1", .multicast), ("ff02::1", .multicast), ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified),
            ("::", .unspecified), ("255.255.255.255", .reserved), ("240.0.0.1", .reserved), ("::10.0.0.1", .privateNetwork),
        ]
        for (text, category) in expected {
            #expect(AddressCategory.of(try address(text)) == category, "\(text) is \(category)")
        }
        for text in ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "169.255.0.1"] {
            #expect(AddressCategory.of(try address(text)) == nil, "\(text) is public")
        }
    }

    @Test func policyAllowsOnlyWhatTheOperatorOpened() throws {
        let standard = EgressPolicy.standard
        #expect(standard.refusal(host: "example.org", address: try address("93.184.216.34")) == nil)
        #expect(standard.refusal(host: "example.org", address: try address("10.0.0.1")) == EgressRefusal(category: .privateNetwork))
        let opened = EgressPolicy(allowNetworks: [try network("10.1.0.0/16"), try network("127.0.0.0/8")], allowHosts: ["Data.Internal."])
        #expect(opened.refusal(host: "x", address: try address("10.1.2.3")) == nil)
        #expect(opened.refusal(host: "x", address: try address("::ffff:10.1.2.3")) == nil, "the mapped form of an allowed address")
        #expect(opened.refusal(host: "x", address: try address("10.2.0.1")) != nil)
        #expect(opened.refusal(host: "x", address: try address("::1")) != nil, "127.0.0.0/8 does not open ::1")
        #expect(opened.refusal(host: "data.internal", address: try address("192.168.9.9")) == nil, "a named host, case and trailing dot aside")
        #expect(opened.refusal(host: "data.internal.example", address: try address("192.168.9.9")) != nil)
        let sentence = EgressRefusal(category: .linkLocal).description
        #expect(sentence.contains("link-local") && sentence.contains("fetch.allowNetworks"))
    }

    @Test func configRefusesUnknownKeysAndBadValuesNamingThem() throws {
        func decode(_ json: String) throws -> NodeConfig { try JSONDecoder().decode(NodeConfig.self, from: Data(json.utf8)) }
        let config = try decode(#"{"fetch": {"allowNetworks": ["127.0.0.0/8", "fd00::/8"], "allowHosts": ["files.corp"]}}"#)
        #expect(config.fetch.allowNetworks == [try network("127.0.0.0/8"), try network("fd00::/8")])
        #expect(config.fetch.allowHosts == ["files.corp"])
        #expect(try decode("{}").fetch == .standard)

        func failure(_ json: String) -> (path: String, reason: String)? { configRefusal(json) }
        let unknown = try #require(failure(#"{"fetch": {"allowNetwork": ["10.0.0.0/8"]}}"#))
        #expect(unknown.path == "fetch.allowNetwork" && unknown.reason.contains("unknown key \"allowNetwork\""))
        let badNetwork = try #require(failure(#"{"fetch": {"allowNetworks": ["10.0.0.0/8", "10.0.0/8"]}}"#))
        #expect(badNetwork.path == "fetch.allowNetworks.1" && badNetwork.reason.contains("10.0.0/8"))
        let badHost = try #require(failure(#"{"fetch": {"allowHosts": ["http://files.corp:80"]}}"#))
        #expect(badHost.path == "fetch.allowHosts.0")
        let wrongType = try #require(failure(#"{"fetch": {"allowNetworks": "10.0.0.0/8"}}"#))
        #expect(wrongType.path == "fetch.allowNetworks" && wrongType.reason == "type")
        #expect(failure(#"{"fetch": ["10.0.0.0/8"]}"#)?.path == "fetch")
    }
}
