import SluiceCore

/// A request's parameters: its query string, and for requests with a body, the members
/// of its JSON object (which win over query parameters of the same name). Ocean's
/// clients put the same fields in either place depending on the method.
public struct RequestParameters: Sendable {
    public private(set) var values: [String: JSONValue]

    public init(values: [String: JSONValue]) { self.values = values }

    public subscript(name: String) -> JSONValue? { values[name] }

    /// A required string parameter.
    public func string(_ name: String) throws(RequestError) -> String {
        guard let value = values[name], !value.isNull else {
            throw .badRequest("\(name) is required", field: name)
        }
        guard let text = value.stringValue else {
            throw .badRequest("\(name) must be a string", field: name)
        }
        return text
    }

    /// An optional string parameter; an empty string counts as absent.
    public func optionalString(_ name: String) throws(RequestError) -> String? {
        guard let value = values[name], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .badRequest("\(name) must be a string", field: name) }
        return text.isEmpty ? nil : text
    }

    /// A required address parameter, returned with the text exactly as sent (signed
    /// messages are built from that text).
    public func address(_ name: String) throws(RequestError) -> (address: EthereumAddress, text: String) {
        let text = try string(name)
        guard let address = EthereumAddress(text) else {
            throw .badRequest("\(name) must be an Ethereum address: 0x followed by 40 hex digits", field: name)
        }
        return (address, text)
    }

    /// A required nonce: a JSON integer or a string of digits.
    public func nonce(_ name: String = "nonce") throws(RequestError) -> Nonce {
        guard let value = values[name], !value.isNull else { throw .badRequest("\(name) is required", field: name) }
        guard let text = value.scalarText, let nonce = Nonce(text: text) else {
            throw .badRequest("\(name) must be a whole number between 0 and \(Nonce.maxValue)", field: name)
        }
        return nonce
    }

    /// An optional integer parameter (JSON integer or digits).
    public func optionalInt(_ name: String) throws(RequestError) -> Int? {
        guard let value = values[name], !value.isNull else { return nil }
        if let i = value.int64Value, let int = Int(exactly: i) { return int }
        if let text = value.stringValue, let int = Int(text) { return int }
        throw .badRequest("\(name) must be a whole number", field: name)
    }
}
