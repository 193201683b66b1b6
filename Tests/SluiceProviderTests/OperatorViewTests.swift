import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceEngine
@testable import SluiceProvider
import Testing

/// The operator's view: the dashboard's token, `/metrics` counting what was done, and the
/// JSON log. (The pages in a real browser: scripts/dashboard-test.sh.)
@Suite("The operator's view")
struct OperatorViewTests {
    static let token = "operator-token-4f1c9a"
    static let bearer: HTTPFields = [.authorization: "Bearer \(token)"]

    @Test func withoutATokenConfiguredThereIsNoDashboardAndMetricsAreOpen() async throws {
        let t = try await TestNode()
        try await t.test { client in
            for path in ["/dashboard", "/dashboard/jobs", "/dashboard/assets", "/dashboard/login"] {
                let response = try await client.execute(uri: path, method: .get, headers: Self.bearer)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.json?["error"] != nil)
            }
            let login = try await client.execute(uri: "/dashboard/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                 body: ByteBuffer(string: "token=\(Self.token)"))
            #expect(login.status == .notFound)
            #expect(try await client.get("/metrics").status == .ok)
        }
    }

    @Test func theDashboardAnswersOnlyTheOperatorsToken() async throws {
        let t = try await TestNode(operatorToken: Self.token)
        try await t.test { client in
            let none = try await client.get("/dashboard")
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            #expect(none.headers[.contentType] == "text/html; charset=utf-8")
            #expect(none.text.contains(#"<form method="post" action="/dashboard/login""#))
            #expect(!none.text.contains("Environments"))
            for wrong in ["Bearer wrong", "Bearer \(Self.token)x", "Bearer ", "Basic \(Self.token)", "Bearer \(Self.token.dropLast())"] {
                let response = try await client.execute(uri: "/dashboard", method: .get, headers: [.authorization: wrong])
                #expect(response.status == .unauthorized, "\(wrong)")
                #expect(!response.text.contains(Self.token), "the page never shows the token")
            }
            let right = try await client.execute(uri: "/dashboard", method: .get, headers: Self.bearer)
            #expect(right.status == .ok)
            #expect(right.text.contains(#"<tr data-environment="free-cpu">"#))

            // The login form: a wrong token is refused, the right one sets a cookie that
            // is not the token and opens every page.
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let refused = try await client.execute(uri: "/dashboard/login", method: .post, headers: form, body: ByteBuffer(string: "token=nope"))
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.setCookie] == nil)
            let loggedIn = try await client.execute(uri: "/dashboard/login", method: .post, headers: form,
                                                    body: ByteBuffer(string: "token=\(Self.token)"))
            #expect(loggedIn.status == .seeOther)
            #expect(loggedIn.headers[.location] == "/dashboard")
            let cookie = try #require(loggedIn.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains(Self.token))
            let value = try #require(cookie.split(separator: ";").first.map(String.init))
            for path in ["/dashboard", "/dashboard/jobs", "/dashboard/assets", "/metrics"] {
                let page = try await client.execute(uri: path, method: .get, headers: [.cookie: value])
                #expect(page.status == .ok, "\(path)")
            }
            let forged = try await client.execute(uri: "/dashboard", method: .get, headers: [.cookie: "sluice_operator=\(Self.token)"])
            #expect(forged.status == .unauthorized, "the token itself is not a session")
            let out = try await client.execute(uri: "/dashboard/logout", method: .post, headers: [.cookie: value])
            #expect(out.status == .seeOther && out.headers[.setCookie]?.contains("Max-Age=0") == true)

            // /metrics: behind the same token.
            #expect(try await client.get("/metrics").status == .unauthorized)
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong"]).status == .unauthorized)
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: Self.bearer).status == .ok)
            // A bad filter is refused by name.
            let bad = try await client.execute(uri: "/dashboard/jobs?status=99", method: .get, headers: Self.bearer)
            #expect(bad.status == .badRequest && bad.json?["field"]?.stringValue == "status")
            let badDate = try await client.execute(uri: "/dashboard/jobs?from=2026-02-30", method: .get, headers: Self.bearer)
            #expect(badDate.status == .badRequest && badDate.json?["field"]?.stringValue == "from")
            let unknown = try await client.execute(uri: "/dashboard/jobs/nope", method: .get, headers: Self.bearer)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func metricsPublicOpensMetricsButNotTheDashboard() async throws {
        var config = NodeConfig(environments: [try TestNode.environment()])
        config.metricsPublic = true
        let t = try await TestNode(config: config, operatorToken: Self.token)
        try await t.test { client in
            let metrics = try await client.get("/metrics"), dashboard = try await client.get("/dashboard")
            #expect(metrics.status == .ok)
            #expect(dashboard.status == .unauthorized)
        }
    }

    /// Known work, then `/metrics`: each counter equals what was done.
    @Test func metricsCountWhatTheNodeDid() async throws {
        let t = try await TestNode(operatorToken: Self.token)
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            var jobs: [String] = []
            for _ in 0..<2 {
                let started = try await client.postJSON("/api/services/compute",
                    s.startBody(by: s.bob, datasetTx: try await s.order(s.dataset, serviceId: "compute", by: s.bob),
                                algorithm: s.publishedAlgorithm(tx: try await s.order(s.algorithm, serviceId: "0", by: s.bob))))
                #expect(started.status == .created, "\(started.text)")
                jobs.append(try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue))
            }
            let failing = try await client.postJSON("/api/services/compute",
                s.startBody(by: s.bob, datasetTx: try await s.order(s.rawDataset, serviceId: "compute", by: s.bob),
                            algorithm: ComputeScenario.rawAlgorithm("import sys\nprint('failing on purpose')\nsys.exit(3)"), dataset: s.rawDataset))
            #expect(failing.status == .created, "\(failing.text)")
            jobs.append(try #require(failing.json?.arrayValue?.first?["jobId"]?.stringValue))
            for job in jobs { _ = try await s.waitUntilFinished(job, by: s.bob) }
            // One signature that does not verify, one fetch the egress policy refuses.
            let badStart = s.startBody(by: s.bob, datasetTx: "0x00", algorithm: s.publishedAlgorithm(tx: "0x00"), signer: Wallet())
            #expect(try await client.postJSON("/api/services/compute", badStart).status == .unauthorized)
            let refusedFetch = try await client.postJSON("/api/services/fileinfo", EgressRouteTests.fileObject("http://169.254.169.254/latest"))
            #expect(refusedFetch.status == .forbidden)
            for _ in 0..<3 { _ = try await client.get("/api/services/computeEnvironments") }

            let scraped = try await client.execute(uri: "/metrics", method: .get, headers: Self.bearer)
            #expect(scraped.status == .ok)
            #expect(scraped.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let m = PrometheusText(scraped.text)
            #expect(m["sluice_jobs_started_total", ["environment": "free-cpu"]] == 3)
            #expect(m["sluice_jobs_ended_total", ["environment": "free-cpu", "status": "jobFinished"]] == 2)
            #expect(m["sluice_jobs_ended_total", ["environment": "free-cpu", "status": "algorithmFailed"]] == 1)
            #expect(m["sluice_job_duration_seconds_count", ["environment": "free-cpu"]] == 3)
            #expect(m["sluice_job_queue_wait_seconds_count", ["environment": "free-cpu"]] == 3)
            #expect(m["sluice_running_jobs", ["environment": "free-cpu"]] == 0)
            #expect(m["sluice_queued_jobs", ["environment": "free-cpu"]] == 0)
            #expect(m["sluice_http_requests_total", ["route": "/api/services/compute", "method": "POST", "status": "201"]] == 3)
            #expect(m["sluice_http_requests_total", ["route": "/api/services/compute", "method": "POST", "status": "401"]] == 1)
            #expect(m["sluice_http_requests_total", ["route": "/api/services/computeEnvironments", "method": "GET", "status": "200"]] == 3)
            #expect(m["sluice_http_request_duration_seconds_count", ["route": "/api/services/computeEnvironments", "method": "GET"]] == 3)
            #expect(!m.samples.contains { $0.labels["route"]?.contains("did:op") == true }, "routes are patterns, not paths")
            #expect(m["sluice_signature_checks_total", ["result": "refused"]] == 1)
            // Every signed request that was answered 2xx had its signature accepted.
            let signedRoutes = Set(RouteTable.operations.filter(\.signed).map(\.routerPath))
            let signedSuccesses = m.samples.filter {
                $0.name == "sluice_http_requests_total" && $0.labels["status"]?.hasPrefix("2") == true
                    && signedRoutes.contains(($0.labels["route"] ?? "").replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: ""))
            }.reduce(0) { $0 + $1.value }
            #expect(signedSuccesses > 10)
            #expect(m["sluice_signature_checks_total", ["result": "accepted"]] == signedSuccesses)
            // Each job fetched the CSV; the algorithm was fetched once when Alice trusted it
            // (for its checksum) and once at each start that named it.
            let csv = Double("x,y\n1,2\n3,4\n5,6\n".utf8.count), algorithm = Double(ComputeScenario.algorithmCode.utf8.count)
            #expect(m["sluice_fetch_bytes_total", [:]] == 3 * csv + 3 * algorithm)
            #expect(m["sluice_fetch_refusals_total", [:]] == 1)
            #expect((m["sluice_disk_used_bytes", ["kind": "workspaces"]] ?? 0) > 0)
            let results = try await t.node.engine.records(matching: JobFilter()).flatMap(\.results).reduce(0) { $0 + $1.filesize }
            #expect(m["sluice_disk_used_bytes", ["kind": "results"]] == Double(results))
        }
    }

    /// `--log-format json`: every line an object; a request's lines carry the id its
    /// response returned, the engine's lines the job's id.
    @Test func jsonLogsCarryTheRequestAndJobIds() async throws {
        let lines = LineSink()
        var handler = JSONLogHandler(label: "test") { lines.append($0) }
        handler.logLevel = .info
        let t = try await TestNode(logHandler: handler)
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            let started = try await client.postJSON("/api/services/compute",
                s.startBody(by: s.bob, datasetTx: try await s.order(s.dataset, serviceId: "compute", by: s.bob),
                            algorithm: s.publishedAlgorithm(tx: try await s.order(s.algorithm, serviceId: "0", by: s.bob))))
            let requestId = try #require(started.headers[HTTPField.Name("X-Request-Id")!])
            #expect(requestId.count == 16)
            let jobId = try #require(started.json?.arrayValue?.first?["jobId"]?.stringValue)
            _ = try await s.waitUntilFinished(jobId, by: s.bob)
            let status = try await s.status(jobId, by: s.bob)
            let statusRequestId = try #require(status.headers[HTTPField.Name("X-Request-Id")!])
            #expect(statusRequestId != requestId)

            let objects = try lines.all.map { line -> [String: Any] in
                #expect(line.last == 0x0A && !line.dropLast().contains(0x0A), "one object a line")
                return try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any], "\(String(decoding: line, as: UTF8.self))")
            }
            #expect(objects.allSatisfy { $0["time"] is String && $0["level"] is String && $0["message"] is String })
            let startLine = objects.first { ($0["message"] as? String)?.hasPrefix("POST /api/services/compute 201") == true }
            #expect(startLine?["requestId"] as? String == requestId)
            let statusLine = objects.first { $0["requestId"] as? String == statusRequestId }
            #expect(statusLine?["jobId"] as? String == jobId, "a request naming a job carries its id")
            #expect(objects.contains { $0["message"] as? String == "job finished" && $0["jobId"] as? String == jobId })
            let text = lines.all.map { String(decoding: $0, as: UTF8.self) }.joined()
            #expect(!text.contains("signature=") && !text.contains(Hex.encode(t.key.secretBytes)), "no signatures or keys")
        }
    }
}

/// The lines a log handler wrote.
final class LineSink: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [Data] = []
    func append(_ line: Data) { lock.withLock { lines.append(line) } }
    var all: [Data] { lock.withLock { lines } }
}

/// Prometheus' text format, read for the tests: `name{label="value",...} number` lines.
struct PrometheusText {
    struct Sample {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let samples: [Sample]

    init(_ text: String) {
        var samples: [Sample] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            var labels: [String: String] = [:]
            var name = String(series)
            if let open = series.firstIndex(of: "{"), series.hasSuffix("}") {
                name = String(series[..<open])
                let body = series[series.index(after: open)..<series.index(before: series.endIndex)]
                for pair in body.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        self.samples = samples
    }

    subscript(name: String, labels: [String: String]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}
