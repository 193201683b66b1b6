public import Hummingbird
import HummingbirdCore
import Logging
public import NIOCore
public import ServiceLifecycle
public import SluiceApplication
import SluiceCore

/// Builds the HTTP application of a node: middleware, then every route.
public enum ProviderApplication {
    /// `httpMetrics: false` leaves out the request metrics, for the benchmark that shows their cost.
    public static func buildRouter(node: SluiceNode, httpMetrics: Bool = true) throws -> Router<BasicRequestContext> {
        let endpoints = EndpointRegistry()

        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestIdMiddleware())
        if httpMetrics { router.add(middleware: MetricsMiddleware(metrics: node.metrics)) }
        router.add(middleware: AccessLogMiddleware(logger: node.logger))
        router.add(middleware: ErrorMiddleware(endpoints: endpoints, maxBodyBytes: node.config.maxRequestBodyBytes, logger: node.logger))
        router.add(middleware: BodyLimitMiddleware(maxBytes: node.config.maxRequestBodyBytes))
        try router.addDiscoveryRoute(node: node, endpoints: endpoints)
        router.addOpenAPIRoute()
        router.addNonceRoute(node: node)
        router.addEnvironmentsRoute(node: node)
        router.addComputeRoutes(node: node)
        router.addReviewRoute(node: node)
        router.addLiveLogRoute(node: node)
        router.addInitializeComputeRoute(node: node)
        router.addFileInfoRoute(node: node)
        router.addTrustRoute(node: node)
        router.addEncryptRoute(node: node)
        router.addMetadataCacheRoutes(node: node)
        router.addAssetRoutes(node: node)
        router.addTokenRoutes(node: node)
        router.addOrderRoutes(node: node)
        router.addMetricsRoute(node: node)
        try router.addDashboardRoutes(node: node)
        return router
    }

    /// HTTP/1.1 with the node's decoder limits, and its edge handler for what the router
    /// never sees.
    static var server: HTTPServerBuilder {
        .http1(configuration: .init(additionalChannelHandlers: [HTTPEdgeHandler()], httpDecoderConfiguration: HTTPEdgeLimits.decoder))
    }

    public static func build(
        node: SluiceNode,
        services: [any Service] = [],
        httpMetrics: Bool = true,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        Application(
            router: try buildRouter(node: node, httpMetrics: httpMetrics),
            server: server,
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
