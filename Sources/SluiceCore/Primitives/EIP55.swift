
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
