import SluiceCore
import SluiceCrypto

/// A contract function: its selector and the encoding of a call to it.
public struct ABIFunction: Sendable {
    public let name: String
    public let inputs: [ABIType]
    public let outputs: [ABIType]

    public init(_ name: String, _ inputs: [ABIType] = [], returns outputs: [ABIType] = []) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
    }

    public var signature: String { name + "(" + inputs.map(\.description).joined(separator: ",") + ")" }

    /// First 4 bytes of keccak256 of the signature.
    public var selector: [UInt8] { Array(Keccak256.hash(signature).prefix(4)) }

    public func callData(_ arguments: [ABIValue]) throws(ABIError) -> [UInt8] {
        selector + (try ABIEncoder.encode(arguments, as: inputs))
    }

    public func decodeOutput(_ data: [UInt8]) throws(ABIError) -> [ABIValue] {
        try ABIDecoder.decode(outputs, from: data)
    }
}

/// A contract event: topic 0 is keccak256 of its signature; indexed parameters are the
/// other topics, the rest is ABI-encoded in the log's data.
public struct ABIEvent: Sendable {
    public struct Parameter: Sendable {
        public let name: String
        public let type: ABIType
        public let indexed: Bool

        public init(_ name: String, _ type: ABIType, indexed: Bool = false) {
            self.name = name
            self.type = type
            self.indexed = indexed
        }
    }

    public let name: String
    public let parameters: [Parameter]

    public init(_ name: String, _ parameters: [Parameter]) {
        self.name = name
        self.parameters = parameters
    }

    public var signature: String { name + "(" + parameters.map(\.type.description).joined(separator: ",") + ")" }
    public var topic: [UInt8] { Keccak256.hash(signature) }
    public var topicHex: String { Hex.encode(topic, prefix: true) }

    /// The parameters by name. Indexed dynamic values are only hashes in topics; Ocean's
    /// events index addresses only, so those are refused rather than misread.
    public func decode(topics: [[UInt8]], data: [UInt8]) throws(ABIError) -> [String: ABIValue] {
        guard topics.first == topic else { throw .invalid("not a \(name) event") }
        let indexed = parameters.filter(\.indexed)
        guard topics.count == indexed.count + 1 else { throw .invalid("\(name) has \(topics.count - 1) indexed topics") }
        var out: [String: ABIValue] = [:]
        for (p, t) in zip(indexed, topics.dropFirst()) {
            guard !p.type.isDynamic, t.count == 32 else { throw .invalid("indexed \(p.name) cannot be read") }
            out[p.name] = try ABIDecoder.decodeValue(p.type, t[...], at: 0)
        }
        let plain = parameters.filter { !$0.indexed }
        let values = try ABIDecoder.decode(plain.map(\.type), from: data)
        for (p, v) in zip(plain, values) { out[p.name] = v }
        return out
    }
}
