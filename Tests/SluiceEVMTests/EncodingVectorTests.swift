import SluiceCore
import SluiceCrypto
import Testing
@testable import SluiceEVM

@Suite("EVM encoding against eth_abi, rlp and eth_account vectors")
struct EncodingVectorTests {
    @Test func rlpMatchesPythonRLP() throws {
        let cases = try #require(try Vectors.load()["rlp"]?.arrayValue)
        #expect(cases.count >= 10)
        for c in cases {
            let item = try Vectors.rlp(try #require(c["item"]))
            let expected = try #require(c["encoded"]?.stringValue)
            #expect(Hex.encode(item.encoded, prefix: true) == expected)
            #expect(try RLP.decode(item.encoded) == item)
        }
    }

    @Test func rlpRefusesNonCanonicalAndTruncatedInput() {
        #expect(throws: RLPError.nonCanonical) { try RLP.decode([0x81, 0x05]) }
        #expect(throws: RLPError.truncated) { try RLP.decode([0x83, 0x61]) }
        #expect(throws: RLPError.trailingBytes) { try RLP.decode([0x80, 0x80]) }
        #expect(throws: RLPError.nonCanonical) { try RLP.decode([0xb8, 0x02, 0x61, 0x62]) }
    }

    @Test func abiMatchesEthAbiBothWays() throws {
        let cases = try #require(try Vectors.load()["abi"]?.arrayValue)
        #expect(cases.count >= 10)
        for c in cases {
            let types = try (c["types"]?.arrayValue ?? []).map { try Vectors.type(Substring($0.stringValue ?? "")) }
            let values = try zip(types, c["values"]?.arrayValue ?? []).map { try Vectors.value($1, as: $0) }
            let expected = try #require(c["encoded"]?.stringValue)
            #expect(Hex.encode(try ABIEncoder.encode(values, as: types), prefix: true) == expected, "\(types)")
            let bytes = try #require(Hex.decode(expected))
            #expect(try ABIDecoder.decode(types, from: bytes) == values, "\(types)")
        }
    }

    @Test func abiDecoderRefusesOutOfRangeOffsetsAndLengths() {
        var data = UInt256(1 << 40).word  // offset far beyond the data
        #expect(throws: ABIError.self) { try ABIDecoder.decode([.bytes], from: data) }
        data = UInt256(32).word + UInt256(1000).word  // length beyond the data
        #expect(throws: ABIError.self) { try ABIDecoder.decode([.bytes], from: data) }
        #expect(throws: ABIError.self) { try ABIDecoder.decode([.uint256], from: [1, 2, 3]) }
        #expect(throws: ABIError.self) { try ABIDecoder.decode([.address], from: [UInt8](repeating: 0xff, count: 32)) }
    }

    @Test func selectorsAndTopicsMatchKeccak() throws {
        let table = try #require(try Vectors.load()["keccak"]?.objectValue)
        let known: [String: String] = [
            OceanContracts.getERC721Address.signature: "", OceanContracts.startOrder.signature: "",
            OceanContracts.reuseOrder.signature: "", OceanContracts.setMetaData.signature: "",
            OceanContracts.orderStarted.signature: "", OceanContracts.providerFee.signature: "",
            OceanContracts.orderReused.signature: "", OceanContracts.metadataCreated.signature: "",
            OceanContracts.metadataUpdated.signature: "", OceanContracts.erc721List.signature: "",
        ]
        for signature in known.keys {
            let expected = try #require(table[signature]?.stringValue, "no vector for \(signature)")
            #expect(Hex.encode(Keccak256.hash(signature), prefix: true) == expected)
        }
        #expect(OceanContracts.orderStarted.topicHex == "0xe1c4fa794edfa8f619b8257a077398950357b9c6398528f94480307352f9afcc")
        #expect(OceanContracts.providerFee.topicHex == "0xf8ed11cdaaf10eca2b6c941fb802cb8682afe86cac1eb93f70d0780fa062c544")
        #expect(OceanContracts.orderReused.topicHex == "0x526e31449ea46e2aecf9b480c8d7dfa191348ef74ffdf75b445a6ab726daa6ff")
    }

    @Test func signedTransactionsMatchEthAccount() throws {
        let cases = try #require(try Vectors.load()["transactions"]?.arrayValue)
        #expect(cases.count == 4)
        for c in cases {
            let keyText = try #require(c["privateKey"]?.stringValue)
            let key = try #require(PrivateKey(hex: keyText))
            let dataText = try #require(c["data"]?.stringValue)
            let data = try #require(Hex.decode(dataText))
            let fees: TransactionRequest.Fees = c["kind"]?.stringValue == "legacy"
                ? .legacy(gasPrice: try Vectors.uint128(c["gasPrice"]))
                : .eip1559(maxFeePerGas: try Vectors.uint128(c["maxFeePerGas"]), maxPriorityFeePerGas: try Vectors.uint128(c["maxPriorityFeePerGas"]))
            let request = TransactionRequest(
                chainId: Int(try Vectors.uint128(c["chainId"])), nonce: Int(try Vectors.uint128(c["nonce"])), fees: fees,
                gasLimit: Int(try Vectors.uint128(c["gas"])), to: c["to"]?.stringValue.flatMap { EthereumAddress($0) },
                value: try Vectors.uint128(c["value"]), data: data)
            let signed = request.signed(with: key)
            #expect(signed.rawHex == c["raw"]?.stringValue, "\(c["kind"] ?? .null) chain \(request.chainId)")
            #expect(signed.hash == c["hash"]?.stringValue)
        }
    }

    @Test func uint256TextRoundTrips() throws {
        let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        #expect(UInt256(decimal: max) == UInt256.max)
        #expect(UInt256.max.description == max)
        #expect(UInt256(decimal: max + "0") == nil)
        #expect(UInt256(hexQuantity: "0x0") == .zero)
        #expect(UInt256(hexQuantity: "0x1f4")?.int == 500)
        #expect(UInt256(500).hexQuantity == "0x1f4")
        #expect(UInt256.zero.hexQuantity == "0x0")
        #expect(UInt256.max.uint128 == nil)
    }
}
