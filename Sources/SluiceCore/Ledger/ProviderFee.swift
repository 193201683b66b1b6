/// The fee a provider asks for running a job, signed by the provider (contract
/// section 4, `initializeCompute`). Field names are Ocean's.
public struct ProviderFee: Codable, Sendable, Equatable {
    public var providerFeeAddress: String
    public var providerFeeToken: String
    /// Wei, as a decimal string.
    public var providerFeeAmount: String
    /// `0x` hex of compact JSON `{"environment","timestamp","dt","id"}`.
    public var providerData: String
    public var v: Int
    public var r: String
    public var s: String
    /// Unix seconds after which the fee no longer covers a job.
    public var validUntil: Int

    public init(providerFeeAddress: String, providerFeeToken: String, providerFeeAmount: String,
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
        public var datatoken: String
        public var serviceId: String

        public init(environment: String, timestamp: Int, datatoken: String, serviceId: String) {
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
              let dt = o["dt"]?.stringValue, let id = o["id"]?.stringValue else { return nil }
        return Data(environment: env, timestamp: Int(ts), datatoken: dt, serviceId: id)
    }

    /// The fee as a JSON object in Ocean's shapes (what initializeCompute answers and
    /// `startOrder` takes).
    public var json: JSONValue {
        .object([
            "providerFeeAddress": .string(providerFeeAddress), "providerFeeToken": .string(providerFeeToken),
            "providerFeeAmount": .string(providerFeeAmount), "providerData": .string(providerData),
            "v": .integer(Int64(v)), "r": .string(r), "s": .string(s), "validUntil": .integer(Int64(validUntil)),
        ])
    }
}
