import Hummingbird
import Logging
import NIOCore

/// One log line per request: method, path, status, duration, with the request's id and
/// the job its query names (`jobId`) as metadata. The query string
/// is left out on purpose: it carries signatures and nonces, and bodies may carry keys or URLs.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        if logger.logLevel <= .info {
            let elapsed = ContinuousClock.now - start
            let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
            var metadata: Logger.Metadata = [:]
            if let id = context.logger[metadataKey: "requestId"] { metadata["requestId"] = id }
            if let job = Self.jobId(request) { metadata["jobId"] = .string(job) }
            logger.info("\(request.method) \(request.uri.path) \(response.status.code) \(micros)us", metadata: metadata)
        }
        return response
    }

    /// The job a request names, when it is shaped like a job id (never other text a caller chose).
    static func jobId(_ request: Request) -> String? {
        guard let text = request.uri.queryParameters.get("jobId") else { return nil }
        let shaped = (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || byte == 0x2d
        }
        return shaped ? text : nil
    }
}
