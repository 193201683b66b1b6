public import Hummingbird
public import SluiceCore

/// A refusal renders itself: `{"error": "...", "field": "..."}` with the status of its kind.
extension RequestError: HTTPResponseError {
    public var status: HTTPResponse.Status {
        switch kind {
        case .badRequest: return .badRequest
        case .unauthorized: return .unauthorized
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .methodNotAllowed: return .methodNotAllowed
        case .conflict: return .conflict
        case .payloadTooLarge: return .contentTooLarge
        case .tooManyRequests: return .tooManyRequests
        case .unavailable: return .serviceUnavailable
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        jsonResponse
    }

    /// The answer without a request at hand (the edge handler's framing errors).
    var jsonResponse: Response {
        var response = JSONResponse.text(JSONResponse.errorJSON(message: message, field: field), status: status)
        // The rest of an oversized body is not worth reading: the node closes its side
        // once this is sent, and says so.
        if kind == .payloadTooLarge { response.headers[.connection] = "close" }
        return response
    }

    /// The one wording of a body over the limit, however it was framed.
    static func bodyTooLarge(limit: Int, declared: Int? = nil) -> RequestError {
        let size = declared.map { "request body of \($0) bytes" } ?? "request body"
        return RequestError(.payloadTooLarge, "\(size) is over this node's limit of \(limit) bytes")
    }
}
