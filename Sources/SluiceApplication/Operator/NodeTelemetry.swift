public import Prometheus
public import SluiceEngine

/// A node's metrics registry and the factory that fills it. Each node has its own, so
/// nodes sharing a process (tests) never mix their counts; `MetricsSystem` stays unused.
public struct NodeTelemetry: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let metrics: NodeMetrics

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Jobs run for seconds to hours; requests take micro- to milliseconds.
        let jobBuckets: [Duration] = [.seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300), .seconds(900),
                                      .seconds(3600), .seconds(4 * 3600), .seconds(24 * 3600)]
        factory.durationHistogramBuckets = [NodeMetrics.jobDuration: jobBuckets, NodeMetrics.queueWait: jobBuckets]
        factory.defaultDurationHistogramBuckets = [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
                                                   .microseconds(2500), .milliseconds(5), .milliseconds(10),
                                                   .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                                   .milliseconds(500), .seconds(1), .seconds(5)]
        self.registry = registry
        self.metrics = NodeMetrics(factory: factory)
    }
}
