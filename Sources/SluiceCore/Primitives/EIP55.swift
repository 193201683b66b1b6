
extension EthereumAddress {
    /// The EIP-55 mixed-case form: a hex letter is upper case where the matching
    /// nibble of keccak256(lowercase hex) is 8 or more.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes).utf8)
        let hash = Keccak256.hash(lower)
        var out: [UInt8] = Array("0x".utf8)
        for (i, char) in lower.enumerated() {
            let nibble = i % 2 == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f
            if char >= UInt8(ascii: "a") && nibble >= 8 {
                out.append(char - 32)
            } else {
                out.append(char)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when `text` is all lowercase, all uppercase, or correctly checksummed.
    public static func hasValidChecksum(_ text: String) -> Bool {
        guard let address = EthereumAddress(text) else { return false }
        let body = text.dropFirst(2)
        if body == body.lowercased() || body == body.uppercased() { return true }
        return address.checksummed == text
    }
}

extension EthereumAddress: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let address = EthereumAddress(try c.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an address")
        }
        self = address
    }

    /// EIP-55 text, as Ocean's services write addresses and web3 clients require them.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(checksummed)
    }
}
