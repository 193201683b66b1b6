import Hummingbird
import SluiceApplication
import SluiceCore

extension Router {
    /// The metadata-cache routes Ocean's clients call, as Ocean's Aquarius serves them.
    func addMetadataCacheRoutes(node: SluiceNode) {
        let cache = MetadataCache(node: node)

        get(RouterPath(Paths.ddo + "/:did")) { _, context in
            try JSONResponse.encode(try await cache.ddo(context.parameters.get("did") ?? ""))
        }

        get(RouterPath(Paths.metadata + "/:did")) { _, context in
            try JSONResponse.encode(try await cache.ddo(context.parameters.get("did") ?? "").metadata)
        }

        // Any content type: ocean-lib sends application/octet-stream, others JSON.
        post(RouterPath(Paths.validateDDO)) { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: node.config.maxRequestBodyBytes)
            return try JSONResponse.encode(try cache.validate(Array(buffer: body)))
        }

        post(RouterPath(Paths.query)) { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: node.config.maxRequestBodyBytes)
            return try JSONResponse.encode(try await cache.query(Array(buffer: body)))
        }
    }
}

extension InvalidDDO: RendersItself {
    var status: HTTPResponse.Status { .badRequest }
}
