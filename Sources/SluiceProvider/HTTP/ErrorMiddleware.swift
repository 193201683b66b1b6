import Foundation
import Hummingbird
import Logging
import SluiceCore
import SluiceStore

/// Turns every failure into `{"error": "...", "field": "..."}` with a fitting status
/// (contract section 6), and unknown routes into 404, or 405 where the path exists
/// under another method.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let endpoints: EndpointRegistry
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RequestError {
            return Self.response(for: error)
        } catch let error as any RendersItself {
            return error.response
        } catch let error as StoreError {
            return Self.response(for: .unauthorized(error.description, field: "nonce"))
        } catch let error as HTTPError {
            return response(for: error, request: request)
        } catch is DecodingError {
            return Self.response(for: .badRequest("request body is not valid JSON of the expected shape"))
        } catch {
            // A failure of the node itself. The description stays in the node's log; the
            // caller learns nothing internal.
            logger.error("request failed inside the node", metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(type(of: error))",
            ])
            return JSONResponse.text(#"{"error":"the node could not complete this request; try again later"}"#, status: .internalServerError)
        }
    }

    private func response(for error: HTTPError, request: Request) -> Response {
        switch error.status {
        case .notFound where error.body == nil:
            // The router's own "no route" answer.
            let allowed = endpoints.methods(forPath: request.uri.path)
            if !allowed.isEmpty {
                var response = Self.response(for: RequestError(
                    .methodNotAllowed,
                    "\(request.method) is not allowed on \(request.uri.path); use \(allowed.map(\.rawValue).joined(separator: " or "))"))
                response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                return response
            }
            return Self.response(for: .notFound("no route \(request.method) \(request.uri.path)"))
        case .contentTooLarge:
            return Self.response(for: RequestError(.payloadTooLarge, "request body is larger than this node accepts"))
        default:
            let message = error.body ?? error.status.reasonPhrase
            return JSONResponse.text(Self.errorJSON(message: message, field: nil), status: error.status)
        }
    }

    static func response(for error: RequestError) -> Response {
        JSONResponse.text(errorJSON(message: error.message, field: error.field), status: status(of: error.kind))
    }

    static func status(of kind: RequestError.Kind) -> HTTPResponse.Status {
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

    static func errorJSON(message: String, field: String?) -> String {
        var object = ["error": message]
        if let field { object["field"] = field }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
