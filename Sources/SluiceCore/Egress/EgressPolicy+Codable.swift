/// The config's `fetch` object: `{"allowNetworks": ["10.1.0.0/16"], "allowHosts": ["data.internal"]}`.
/// Unknown keys, wrong types, malformed networks and host names are refused, naming the key:
/// a typo here would otherwise silently leave a network closed or open.
extension EgressPolicy: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case allowNetworks, allowHosts
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self, object: "fetch (it takes allowNetworks and allowHosts)")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let networks = try c.decodeIfPresent([String].self, forKey: .allowNetworks) ?? []
        var parsed: [IPNetwork] = []
        for (index, text) in networks.enumerated() {
            guard let network = IPNetwork(text) else {
                throw DecodingError.dataCorrupted(DecodingError.Context(
                    codingPath: c.codingPath + [CodingKeys.allowNetworks, AnyCodingKey(intValue: index)],
                    debugDescription: "\"\(text.prefix(64))\" is not a network such as 10.1.0.0/16 or fd00::/8"))
            }
            parsed.append(network)
        }
        let hosts = try c.decodeIfPresent([String].self, forKey: .allowHosts) ?? []
        for (index, host) in hosts.enumerated() where !Self.isHostName(host) {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: c.codingPath + [CodingKeys.allowHosts, AnyCodingKey(intValue: index)],
                debugDescription: "\"\(host.prefix(64))\" is not a host name (letters, digits, '-', '.'; no scheme or port)"))
        }
        self.init(allowNetworks: parsed, allowHosts: hosts)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(allowNetworks.map(\.description), forKey: .allowNetworks)
        try c.encode(allowHosts, forKey: .allowHosts)
    }

    static func isHostName(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }
}
