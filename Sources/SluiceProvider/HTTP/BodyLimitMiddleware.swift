import Hummingbird
import SluiceCore

/// Refuses a body whose declared length is over the limit before reading any of it.
/// Bodies without a declared length (chunked) are cut while read, and `ErrorMiddleware`
/// answers the same 413.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength] {
            guard let length = Int(declared), length >= 0 else {
                throw RequestError.badRequest("Content-Length is not a number", field: "Content-Length")
            }
            if length > maxBytes {
                throw RequestError.bodyTooLarge(limit: maxBytes, declared: length)
            }
        }
        return try await next(request, context)
    }
}
