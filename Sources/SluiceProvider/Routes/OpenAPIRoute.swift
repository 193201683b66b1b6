import Hummingbird
import NIOCore
import SluiceApplication
import SluiceCore

extension Router {
    /// `GET /openapi.json`: the OpenAPI 3.1 description of every route, built once.
    func addOpenAPIRoute() {
        let body = ByteBuffer(string: OpenAPIDocument.build(version: SluiceNode.version).compactJSON())
        get(RouterPath(Paths.openAPI)) { _, _ in JSONResponse.bytes(body) }
    }
}
