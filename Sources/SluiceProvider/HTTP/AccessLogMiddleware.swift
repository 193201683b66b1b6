import Hummingbird
import Logging
import NIOCore

/// One log line per request: method, path, status, duration. The query string is left
/// out on purpose: it carries signatures and nonces, and bodies may carry keys or URLs.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        if logger.logLevel <= .info {
            let elapsed = ContinuousClock.now - start
            let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
            logger.info("\(request.method) \(request.uri.path) \(response.status.code) \(micros)us")
        }
        return response
    }
}
