import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import SluiceCore

/// Turns every failure into `{"error": "...", "field": "..."}` with a fitting status
/// (contract section 6), and unknown routes into 404, or 405 where the path exists
/// under another method.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let endpoints: EndpointRegistry
    let maxBodyBytes: Int
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RequestError {
            return error.jsonResponse
        } catch let error as any RendersItself {
            return error.response
        } catch let error as StoreError {
            return RequestError.unauthorized(error.description, field: "nonce").jsonResponse
        } catch let error as HTTPError {
            return response(for: error, request: request)
        } catch is NIOTooManyBytesError {
            // A body without a declared length (chunked) that grew over the limit while read.
            return RequestError.bodyTooLarge(limit: maxBodyBytes).jsonResponse
        } catch let error as HTTPParserError {
            // The body's framing broke while a route read it. `HTTPEdgeHandler` has
            // answered 400 already; Hummingbird needs the error to close the connection.
            throw error
        } catch is DecodingError {
            return RequestError.badRequest("request body is not valid JSON of the expected shape").jsonResponse
        } catch {
            // A failure of the node itself. The description stays in the node's log; the
            // caller learns nothing internal.
            var metadata: Logger.Metadata = [
                "method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(type(of: error))",
            ]
            if let id = context.logger[metadataKey: "requestId"] { metadata["requestId"] = id }
            logger.error("request failed inside the node", metadata: metadata)
            return JSONResponse.text(#"{"error":"the node could not complete this request; try again later"}"#, status: .internalServerError)
        }
    }

    private func response(for error: HTTPError, request: Request) -> Response {
        switch error.status {
        case .notFound where error.body == nil:
            // The router's own "no route" answer.
            let allowed = endpoints.methods(forPath: request.uri.path)
            if !allowed.isEmpty {
                var response = RequestError(
                    .methodNotAllowed,
                    "\(request.method) is not allowed on \(request.uri.path); use \(allowed.map(\.rawValue).joined(separator: " or "))"
                ).jsonResponse
                response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                return response
            }
            return RequestError.notFound("no route \(request.method) \(request.uri.path)").jsonResponse
        case .contentTooLarge:
            return RequestError.bodyTooLarge(limit: maxBodyBytes).jsonResponse
        default:
            let message = error.body ?? error.status.reasonPhrase
            return JSONResponse.text(JSONResponse.errorJSON(message: message, field: nil), status: error.status)
        }
    }
}
