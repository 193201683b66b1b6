import Hummingbird
import SluiceCore

/// Refuses a body whose declared length is over the limit before reading any of it.
/// Bodies without a declared length are cut by `RequestParameters` while reading.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength] {
            guard let length = Int(declared), length >= 0 else {
                throw RequestError.badRequest("Content-Length is not a number", field: "Content-Length")
            }
            if length > maxBytes {
                throw RequestError(.payloadTooLarge, "request body of \(length) bytes is over this node's limit of \(maxBytes) bytes")
            }
        }
        return try await next(request, context)
    }
}
