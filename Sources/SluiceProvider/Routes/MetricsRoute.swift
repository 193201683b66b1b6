import Hummingbird
import NIOCore
import SluiceApplication
import SluiceCore

extension Router {
    /// `GET /metrics`: see `ReadMetrics`. Open without an operator token configured or
    /// with `metricsPublic`; else the operator's token (bearer or the login's cookie).
    func addMetricsRoute(node: SluiceNode) {
        get(RouterPath(Paths.metrics)) { request, _ in
            let credentials = OperatorCredentials(request)
            guard node.operatorAccess.metrics(bearer: credentials.bearer, session: credentials.session) == .allowed else {
                throw OperatorRefusal.metrics
            }
            let body = await ReadMetrics(node: node)()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8",
                                                   .contentLength: String(body.count)],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}

/// 401 with a bearer challenge: `/metrics` without the operator's token.
enum OperatorRefusal: RendersItself {
    case metrics

    var status: HTTPResponse.Status { .unauthorized }
    var body: JSONValue {
        .object(["error": .string("/metrics needs the operator's token (Authorization: Bearer <token>)")])
    }
}
