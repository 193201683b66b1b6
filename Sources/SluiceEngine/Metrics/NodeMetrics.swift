public import CoreMetrics
public import SluiceCore

/// Every metric the node keeps, named in one place (the README lists them). Made with
/// the node's own factory rather than the process-wide `MetricsSystem`, so each node
/// (and each test's node) counts only what it did.
public struct NodeMetrics: Sendable {
    public let factory: any MetricsFactory

    /// Without a factory nothing is kept (a node assembled without telemetry).
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
    }

    public static let jobsStarted = "sluice_jobs_started_total"
    public static let jobsEnded = "sluice_jobs_ended_total"
    public static let jobDuration = "sluice_job_duration_seconds"
    public static let queueWait = "sluice_job_queue_wait_seconds"
    public static let queuedJobs = "sluice_queued_jobs"
    public static let runningJobs = "sluice_running_jobs"
    public static let httpRequests = "sluice_http_requests_total"
    public static let httpDuration = "sluice_http_request_duration_seconds"
    public static let signatureChecks = "sluice_signature_checks_total"
    public static let fetchBytes = "sluice_fetch_bytes_total"
    public static let fetchRefusals = "sluice_fetch_refusals_total"
    public static let diskUsed = "sluice_disk_used_bytes"
    public static let indexerLag = "sluice_indexer_lag_blocks"

    /// A job left the queue and began to run, after `wait` seconds in it.
    func jobStarted(environment: String, waited wait: Double) {
        Counter(label: Self.jobsStarted, dimensions: [("environment", environment)], factory: factory).increment()
        CoreMetrics.Timer(label: Self.queueWait, dimensions: [("environment", environment)], factory: factory)
            .recordSeconds(max(wait, 0))
    }

    /// A job ended in `status`; `ran` is how long it ran, nil when it never started.
    func jobEnded(environment: String, status: JobStatusCode, ran: Double?) {
        let dimensions = [("environment", environment), ("status", "\(status)")]
        Counter(label: Self.jobsEnded, dimensions: dimensions, factory: factory).increment()
        if let ran {
            CoreMetrics.Timer(label: Self.jobDuration, dimensions: [("environment", environment)], factory: factory).recordSeconds(max(ran, 0))
        }
    }

    /// The environment's jobs waiting and running now.
    public func queue(environment: String, waiting: Int, running: Int) {
        Gauge(label: Self.queuedJobs, dimensions: [("environment", environment)], factory: factory).record(waiting)
        Gauge(label: Self.runningJobs, dimensions: [("environment", environment)], factory: factory).record(running)
    }

    /// One request answered: `route` is the matched route's pattern (bounded), never the raw path.
    public func httpRequest(route: String, method: String, status: Int, nanoseconds: Int64) {
        Counter(label: Self.httpRequests, dimensions: [("route", route), ("method", method), ("status", String(status))],
                factory: factory).increment()
        CoreMetrics.Timer(label: Self.httpDuration, dimensions: [("route", route), ("method", method)], factory: factory)
            .recordNanoseconds(nanoseconds)
    }

    /// A signed request's signature was checked: accepted or refused.
    public func signatureChecked(accepted: Bool) {
        Counter(label: Self.signatureChecks, dimensions: [("result", accepted ? "accepted" : "refused")], factory: factory).increment()
    }

    func fetched(bytes: Int64) {
        Counter(label: Self.fetchBytes, factory: factory).increment(by: bytes)
    }

    /// A fetch the egress policy refused (an internal address, say).
    func fetchRefused() {
        Counter(label: Self.fetchRefusals, factory: factory).increment()
    }

    /// Bytes on disk: `kind` is `workspaces` (every job's directory) or `results`.
    public func diskUsed(kind: String, bytes: Int64) {
        Gauge(label: Self.diskUsed, dimensions: [("kind", kind)], factory: factory).record(bytes)
    }

    /// How many blocks the chain's head is ahead of what the indexer has read.
    public func indexerLag(chainId: Int, blocks: Int) {
        Gauge(label: Self.indexerLag, dimensions: [("chain", String(chainId))], factory: factory).record(blocks)
    }
}

