/// The compute requests of contract section 4, as the node decodes them and the SDK
/// sends them. Decoding checks each field's shape (a string where a string goes, an
/// object where an object goes) and names the field when one is wrong; which fields are
/// required, and in what order they are checked, is the use case's rule, so every field
/// is optional here.

/// The three fields a signed request carries (contract section 2).
public struct SignedFields: Codable, Sendable, Equatable {
    public var consumerAddress: String?
    public var nonce: Nonce?
    public var signature: Signature?

    /// The signature as sent. A value that is not text is no signature of anyone's: it is
    /// refused as a bad signature (401), like text that does not recover.
    public enum Signature: Codable, Sendable, Equatable {
        case text(String)
        case notText

        public init(from decoder: any Decoder) throws {
            if case .string(let text) = try JSONValue(from: decoder) { self = .text(text) } else { self = .notText }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            if case .text(let text) = self { try c.encode(text) } else { try c.encodeNil() }
        }
    }

    public init(consumerAddress: String?, nonce: Nonce?, signature: Signature?) {
        self.consumerAddress = consumerAddress
        self.nonce = nonce
        self.signature = signature
    }

    public init(consumerAddress: String, nonce: Nonce, signature: String) {
        self.init(consumerAddress: consumerAddress, nonce: nonce, signature: .text(signature))
    }
}

/// One input of a compute request: a dataset, or a published algorithm.
public struct InputReference: Codable, Sendable, Equatable {
    public var documentId: String?
    /// Ocean's clients send a service id as a string or, for index-named services, a number.
    public var serviceId: String?
    public var transferTxId: String?
    public var userdata: JSONValue?

    public init(documentId: String?, serviceId: String?, transferTxId: String? = nil, userdata: JSONValue? = nil) {
        self.documentId = documentId
        self.serviceId = serviceId
        self.transferTxId = transferTxId
        self.userdata = userdata
    }

    enum CodingKeys: String, CodingKey { case documentId, serviceId, transferTxId, userdata }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        documentId = try c.decodeIfPresent(String.self, forKey: .documentId)
        serviceId = try c.decodeIfPresent(ScalarText.self, forKey: .serviceId)?.text
        transferTxId = try c.decodeIfPresent(String.self, forKey: .transferTxId)
        userdata = try c.decodeIfPresent(JSONValue.self, forKey: .userdata)
    }
}

/// The algorithm of a compute request: a published one (an input reference) or raw code
/// (`meta`, which wins when both are given).
public struct AlgorithmReference: Codable, Sendable, Equatable {
    public var documentId: String?
    public var serviceId: String?
    public var transferTxId: String?
    public var userdata: JSONValue?
    /// A JSON object, or the text of one (ocean-lib sends either).
    public var algocustomdata: JSONValue?
    public var meta: RawAlgorithm?

    public init(published input: InputReference, algocustomdata: JSONValue? = nil) {
        documentId = input.documentId
        serviceId = input.serviceId
        transferTxId = input.transferTxId
        userdata = input.userdata
        self.algocustomdata = algocustomdata
    }

    public init(meta: RawAlgorithm) { self.meta = meta }

    /// The published algorithm's reference.
    public var published: InputReference {
        InputReference(documentId: documentId, serviceId: serviceId, transferTxId: transferTxId, userdata: userdata)
    }

    enum CodingKeys: String, CodingKey { case documentId, serviceId, transferTxId, userdata, algocustomdata, meta }

    public init(from decoder: any Decoder) throws {
        let input = try InputReference(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(published: input, algocustomdata: try c.decodeIfPresent(JSONValue.self, forKey: .algocustomdata))
        meta = try c.decodeIfPresent(RawAlgorithm.self, forKey: .meta)
    }
}

/// Raw algorithm code and the container it runs in.
public struct RawAlgorithm: Codable, Sendable, Equatable {
    public var rawcode: String?
    public var url: String?
    public var language: String?
    public var version: String?
    public var container: Container?

    public struct Container: Codable, Sendable, Equatable {
        public var entrypoint: String?
        public var image: String?
        public var tag: String?
        public var checksum: String?

        public init(entrypoint: String?, image: String?, tag: String?, checksum: String?) {
            self.entrypoint = entrypoint
            self.image = image
            self.tag = tag
            self.checksum = checksum
        }
    }

    public init(rawcode: String? = nil, url: String? = nil, language: String? = nil, version: String? = nil, container: Container?) {
        self.rawcode = rawcode
        self.url = url
        self.language = language
        self.version = version
        self.container = container
    }
}

/// `POST /api/services/compute`.
public struct ComputeStartRequest: Codable, Sendable, Equatable {
    public var signed: SignedFields
    public var environment: String?
    public var dataset: InputReference?
    /// `additionalDatasets`, or `additionalInputs` (the key ocean-lib sends).
    public var additionalDatasets: [InputReference]?
    public var algorithm: AlgorithmReference?
    /// Where some clients put the algorithm's custom data instead of inside `algorithm`.
    public var algocustomdata: JSONValue?

    public init(signed: SignedFields, environment: String?, dataset: InputReference?,
                additionalDatasets: [InputReference]? = nil, algorithm: AlgorithmReference?, algocustomdata: JSONValue? = nil) {
        self.signed = signed
        self.environment = environment
        self.dataset = dataset
        self.additionalDatasets = additionalDatasets
        self.algorithm = algorithm
        self.algocustomdata = algocustomdata
    }

    enum CodingKeys: String, CodingKey { case environment, dataset, additionalDatasets, additionalInputs, algorithm, algocustomdata }

    public init(from decoder: any Decoder) throws {
        signed = try SignedFields(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        environment = try c.decodeIfPresent(String.self, forKey: .environment)
        dataset = try c.decodeIfPresent(InputReference.self, forKey: .dataset)
        additionalDatasets = try c.decodeIfPresent([InputReference].self, forKey: .additionalDatasets)
            ?? c.decodeIfPresent([InputReference].self, forKey: .additionalInputs)
        algorithm = try c.decodeIfPresent(AlgorithmReference.self, forKey: .algorithm)
        algocustomdata = try c.decodeIfPresent(JSONValue.self, forKey: .algocustomdata)
    }

    public func encode(to encoder: any Encoder) throws {
        try signed.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(environment, forKey: .environment)
        try c.encodeIfPresent(dataset, forKey: .dataset)
        try c.encodeIfPresent(additionalDatasets, forKey: .additionalDatasets)
        try c.encodeIfPresent(algorithm, forKey: .algorithm)
        try c.encodeIfPresent(algocustomdata, forKey: .algocustomdata)
    }
}

/// `POST /api/services/initializeCompute`.
public struct InitializeComputeRequest: Codable, Sendable, Equatable {
    public var consumerAddress: String?
    public var compute: Compute?
    public var datasets: [InputReference]?
    public var algorithm: AlgorithmReference?

    public struct Compute: Codable, Sendable, Equatable {
        public var env: String?
        /// Unix seconds; clients send a whole or a fractional number.
        public var validUntil: Double?

        public init(env: String?, validUntil: Double?) {
            self.env = env
            self.validUntil = validUntil
        }
    }

    public init(consumerAddress: String?, compute: Compute?, datasets: [InputReference]?, algorithm: AlgorithmReference?) {
        self.consumerAddress = consumerAddress
        self.compute = compute
        self.datasets = datasets
        self.algorithm = algorithm
    }
}

/// `GET`, `PUT` and `DELETE /api/services/compute`: the caller's jobs by id or dataset.
public struct JobQuery: Codable, Sendable, Equatable {
    public var signed: SignedFields
    /// Empty counts as absent, as Ocean's clients send it.
    public var jobId: String?
    public var documentId: String?

    public init(signed: SignedFields, jobId: String?, documentId: String? = nil) {
        self.signed = signed
        self.jobId = jobId
        self.documentId = documentId
    }

    enum CodingKeys: String, CodingKey { case jobId, documentId }

    public init(from decoder: any Decoder) throws {
        signed = try SignedFields(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jobId = try c.decodeIfPresent(String.self, forKey: .jobId).flatMap { $0.isEmpty ? nil : $0 }
        documentId = try c.decodeIfPresent(String.self, forKey: .documentId).flatMap { $0.isEmpty ? nil : $0 }
    }

    public func encode(to encoder: any Encoder) throws {
        try signed.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(jobId, forKey: .jobId)
        try c.encodeIfPresent(documentId, forKey: .documentId)
    }
}

/// `GET /api/services/computeResult`: one result file of one job.
public struct ResultRequest: Codable, Sendable, Equatable {
    public var signed: SignedFields
    public var jobId: String?
    /// The digits as sent: they are part of the signed message.
    public var index: String?

    public init(signed: SignedFields, jobId: String?, index: String?) {
        self.signed = signed
        self.jobId = jobId
        self.index = index
    }

    enum CodingKeys: String, CodingKey { case jobId, index }

    public init(from decoder: any Decoder) throws {
        signed = try SignedFields(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jobId = try c.decodeIfPresent(String.self, forKey: .jobId)
        index = try c.decodeIfPresent(ScalarText.self, forKey: .index)?.text
    }

    public func encode(to encoder: any Encoder) throws {
        try signed.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(jobId, forKey: .jobId)
        try c.encodeIfPresent(index, forKey: .index)
    }
}

/// A string or a whole number, read as its text (service ids, result indexes, nonces:
/// Ocean's clients send either).
struct ScalarText: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        switch try JSONValue(from: decoder) {
        case .string(let s): text = s
        case .integer(let i): text = String(i)
        default:
            throw DecodingError.typeMismatch(String.self, DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "must be a string or a whole number"))
        }
    }
}

extension Nonce: Codable {
    /// A JSON integer or a string of digits; the text is kept as sent.
    public init(from decoder: any Decoder) throws {
        let text = try ScalarText(from: decoder).text
        guard let nonce = Nonce(text: text) else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "must be a whole number between 0 and \(Nonce.maxValue)"))
        }
        self = nonce
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

/// initializeCompute's answer: for each dataset, and for a published algorithm, what
/// the consumer must do before compute start.
public struct InitializeComputeAnswer: Codable, Sendable, Equatable {
    public var datasets: [InputAnswer]
    /// Absent for raw code, which is not ordered.
    public var algorithm: InputAnswer?

    public init(datasets: [InputAnswer], algorithm: InputAnswer?) {
        self.datasets = datasets
        self.algorithm = algorithm
    }
}

/// The order that still pays (`validOrder`), or the datatoken and a signed fee to order
/// with, or all three when the order is good but its fee must be renewed.
public struct InputAnswer: Codable, Sendable, Equatable {
    public var validOrder: String?
    /// Checksummed, as web3 clients require.
    public var datatoken: String?
    public var providerFee: ProviderFee?

    public init(validOrder: String?, datatoken: EthereumAddress? = nil, providerFee: ProviderFee? = nil) {
        self.validOrder = validOrder
        self.datatoken = datatoken?.checksummed
        self.providerFee = providerFee
    }
}
