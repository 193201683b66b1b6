import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SluiceCore

/// Builds the HTTP application of a node: middleware, then every route.
public enum ProviderApplication {
    public static func buildRouter(node: SluiceNode) throws -> Router<BasicRequestContext> {
        var endpoints = EndpointRegistry()
        endpoints.add(nil, .get, Paths.root)
        endpoints.add(nil, .get, Paths.openAPI)
        endpoints.add("nonce", .get, Paths.nonce)
        endpoints.add("computeEnvironments", .get, Paths.computeEnvironments)
        endpoints.add("computeStart", .post, Paths.compute)
        endpoints.add("computeStatus", .get, Paths.compute)
        endpoints.add("computeStop", .put, Paths.compute)
        endpoints.add("computeDelete", .delete, Paths.compute)
        endpoints.add("computeResult", .get, Paths.computeResult)
        endpoints.add("initializeCompute", .post, Paths.initializeCompute)
        endpoints.add("fileinfo", .post, Paths.fileinfo)
        endpoints.add("encrypt", .post, Paths.encrypt)
        endpoints.add("resolveDDO", .get, Paths.ddo + "/:did")
        endpoints.add("ddoMetadata", .get, Paths.metadata + "/:did")
        endpoints.add("validateDDO", .post, Paths.validateDDO)
        endpoints.add("queryAssets", .post, Paths.query)
        endpoints.add("publishAsset", .post, Paths.sluiceAssets)
        endpoints.add("updateAsset", .put, Paths.sluiceAssets + "/:did")
        endpoints.add("trustAlgorithm", .post, Paths.sluiceAssets + "/:did/trust")
        endpoints.add("datatoken", .get, Paths.sluiceTokens + "/:token")
        endpoints.add("balance", .get, Paths.sluiceTokens + "/:token/balance")
        endpoints.add("mint", .post, Paths.sluiceTokens + "/:token/mint")
        endpoints.add("transfer", .post, Paths.sluiceTokens + "/:token/transfer")
        endpoints.add("startOrder", .post, Paths.sluiceOrders)
        endpoints.add("reuseOrder", .post, Paths.sluiceOrders + "/:tx/reuse")
        endpoints.add("order", .get, Paths.sluiceOrders + "/:tx")

        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: AccessLogMiddleware(logger: node.logger))
        router.add(middleware: ErrorMiddleware(endpoints: endpoints, logger: node.logger))
        router.add(middleware: BodyLimitMiddleware(maxBytes: node.config.maxRequestBodyBytes))
        try router.addDiscoveryRoute(node: node, endpoints: endpoints)
        router.addOpenAPIRoute()
        router.addNonceRoute(node: node)
        router.addEnvironmentsRoute(node: node)
        router.addComputeRoutes(node: node)
        router.addInitializeComputeRoute(node: node)
        router.addFileInfoRoute(node: node)
        router.addTrustRoute(node: node)
        router.addEncryptRoute(node: node)
        router.addMetadataCacheRoutes(node: node)
        router.addAssetRoutes(node: node)
        router.addTokenRoutes(node: node)
        router.addOrderRoutes(node: node)
        return router
    }

    public static func build(
        node: SluiceNode,
        services: [any Service] = [],
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        Application(
            router: try buildRouter(node: node),
            configuration: .init(
                address: .hostname(node.config.host, port: node.config.port),
                serverName: "Sluice/\(SluiceNode.version)"
            ),
            services: services,
            onServerRunning: onServerRunning,
            logger: node.logger
        )
    }
}
