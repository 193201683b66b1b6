public import SluiceCore

/// A request's parameters: its query string, and for requests with a body, the members
/// of its JSON object (which win over query parameters of the same name). Ocean's
/// clients put the same fields in either place depending on the method. Routes read
/// them once, as their typed request (`decode`).
public struct RequestParameters: Sendable {
    public private(set) var values: [String: JSONValue]

    public init(values: [String: JSONValue]) { self.values = values }
}

extension RequestParameters {
    /// The parameters as the typed request `T`; a field of the wrong shape is a 400 naming it.
    public func decode<T: Decodable>(_ type: T.Type) throws(RequestError) -> T {
        do {
            return try JSONValueDecoder().decode(type, from: .object(values))
        } catch let error as DecodingError {
            throw RequestError(decoding: error)
        } catch let error as RequestError {
            throw error
        } catch {
            throw .badRequest("the request's parameters are unreadable")
        }
    }
}
