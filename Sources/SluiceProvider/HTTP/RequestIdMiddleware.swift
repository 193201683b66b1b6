import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id: returned as `X-Request-Id` and carried in the request's
/// log metadata (`requestId`), so a caller's report finds its lines in the node's log.
struct RequestIdMiddleware<Context: RequestContext>: RouterMiddleware {
    static var header: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = Self.makeId()
        var context = context
        context.logger[metadataKey: "requestId"] = .string(id)
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }

    /// 16 hex digits: unique enough to find one request's lines, short enough to read.
    static func makeId() -> String {
        let value = UInt64.random(in: 0...UInt64.max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
