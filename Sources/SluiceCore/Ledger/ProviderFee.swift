/// The fee a provider asks for running a job, signed by the provider (contract
/// section 4, `initializeCompute`). Field names are Ocean's; the node answers it and
/// the SDK orders with it. Addresses and the amount are parsed when the fee is read,
/// so a malformed one is refused there and never reaches a comparison.
public struct ProviderFee: Codable, Sendable, Equatable {
    public var providerFeeAddress: EthereumAddress
    public var providerFeeToken: EthereumAddress
    /// In wei of `providerFeeToken`.
    public var providerFeeAmount: TokenAmount
    /// `0x` hex of compact JSON `{"environment","timestamp","dt","id"}`, as signed.
    public var providerData: String
    public var v: Int
    public var r: String
    public var s: String
    /// Unix seconds after which the fee no longer covers a job.
    public var validUntil: Int

    public init(providerFeeAddress: EthereumAddress, providerFeeToken: EthereumAddress, providerFeeAmount: TokenAmount,
                providerData: String, v: Int, r: String, s: String, validUntil: Int) {
        self.providerFeeAddress = providerFeeAddress
        self.providerFeeToken = providerFeeToken
        self.providerFeeAmount = providerFeeAmount
        self.providerData = providerData
        self.v = v
        self.r = r
        self.s = s
        self.validUntil = validUntil
    }

    /// What `providerData` says, when it is the JSON the node writes.
    public struct Data: Sendable, Equatable {
        public var environment: String
        public var timestamp: Int
        public var datatoken: EthereumAddress
        public var serviceId: String

        public init(environment: String, timestamp: Int, datatoken: EthereumAddress, serviceId: String) {
            self.environment = environment
            self.timestamp = timestamp
            self.datatoken = datatoken
            self.serviceId = serviceId
        }
    }

    public var decodedData: Data? {
        guard let bytes = Hex.decode(providerData), bytes.count <= 4096 else { return nil }
        // Parsed by hand: SluiceCore has no JSON parser, and the shape is fixed.
        guard let json = try? JSONValue.parse(bytes), let o = json.objectValue,
              let env = o["environment"]?.stringValue, let ts = o["timestamp"]?.int64Value,
              let dt = o["dt"]?.stringValue.flatMap({ EthereumAddress($0) }), let id = o["id"]?.stringValue else { return nil }
        return Data(environment: env, timestamp: Int(ts), datatoken: dt, serviceId: id)
    }

    /// The fee as a JSON object in Ocean's shapes (what initializeCompute answers and
    /// `startOrder` takes): addresses checksummed, as web3 clients require.
    public var json: JSONValue {
        .object([
            "providerFeeAddress": .string(providerFeeAddress.checksummed), "providerFeeToken": .string(providerFeeToken.checksummed),
            "providerFeeAmount": .string(providerFeeAmount.description), "providerData": .string(providerData),
            "v": .integer(Int64(v)), "r": .string(r), "s": .string(s), "validUntil": .integer(Int64(validUntil)),
        ])
    }
}
