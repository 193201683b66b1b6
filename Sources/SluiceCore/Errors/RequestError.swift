/// A refusal the node explains to its caller: one sentence, the field at fault when
/// there is one, and a kind that the HTTP layer maps to a 4xx (or 503) status.
///
/// Messages never contain secrets: no keys, no dataset URLs.
public struct RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case badRequest          // 400 malformed or invalid input
        case unauthorized        // 401 bad or missing signature, stale nonce
        case forbidden           // 403 not yours, or not allowed by the asset
        case notFound            // 404 unknown job, asset, environment, index, route
        case methodNotAllowed    // 405
        case conflict            // 409 e.g. order already consumed
        case payloadTooLarge     // 413
        case tooManyRequests     // 429 environment queue full
        case unavailable         // 503 shutting down
    }

    public let kind: Kind
    public let message: String
    public let field: String?

    public init(_ kind: Kind, _ message: String, field: String? = nil) {
        self.kind = kind
        self.message = message
        self.field = field
    }

    public var description: String {
        field.map { "\(message) (field: \($0))" } ?? message
    }

    public static func badRequest(_ message: String, field: String? = nil) -> RequestError {
        RequestError(.badRequest, message, field: field)
    }
    public static func unauthorized(_ message: String, field: String? = nil) -> RequestError {
        RequestError(.unauthorized, message, field: field)
    }
    public static func forbidden(_ message: String, field: String? = nil) -> RequestError {
        RequestError(.forbidden, message, field: field)
    }
    public static func notFound(_ message: String, field: String? = nil) -> RequestError {
        RequestError(.notFound, message, field: field)
    }
    public static func conflict(_ message: String, field: String? = nil) -> RequestError {
        RequestError(.conflict, message, field: field)
    }

    /// The one wording of an environment id the node does not offer.
    public static func unknownEnvironment(_ id: String, field: String) -> RequestError {
        .notFound("there is no compute environment \"\(id.prefix(64))\" on this node", field: field)
    }
}
