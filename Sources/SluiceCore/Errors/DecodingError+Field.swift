extension DecodingError {
    /// Where the value that failed sits, as a field name (`dataset.serviceId`,
    /// `datasets[0]`); empty at the top level.
    public var field: String {
        switch self {
        case .keyNotFound(let key, let context): return Self.path(context.codingPath + [key])
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return Self.path(context.codingPath)
        @unknown default: return ""
        }
    }

    /// One sentence saying what is wrong and where: `dataset must be an object`.
    public var sentence: String {
        let place = field.isEmpty ? "the top level" : field
        switch self {
        case .typeMismatch(let type, let context):
            return context.debugDescription.hasPrefix("must ") ? "\(place) \(context.debugDescription)" : "\(place) should be \(type)"
        case .valueNotFound(let type, _): return "\(place) should be \(type), found null"
        case .keyNotFound: return "\(place) is required"
        case .dataCorrupted(let context):
            return context.debugDescription.hasPrefix("must ") ? "\(place) \(context.debugDescription)" : "\(place): \(context.debugDescription)"
        @unknown default: return "\(place) is unreadable"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.reduce("") { text, key in
            if let i = key.intValue { return text + "[\(i)]" }
            return text.isEmpty ? key.stringValue : text + "." + key.stringValue
        }
    }
}

extension RequestError {
    /// A request whose parameters do not have the shapes its route reads: 400, naming the field.
    public init(decoding error: DecodingError) {
        let field = error.field
        self = .badRequest(error.sentence, field: field.isEmpty ? nil : field)
    }
}
