import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceCore

/// The slurmrestd calls the backend makes, on one cluster, over AsyncHTTPClient. The JWT
/// is read from `tokenFile` at each call (so a rotated token is picked up) and goes into
/// the `X-SLURM-USER-TOKEN` header only.
struct SlurmClient: Sendable {
    let settings: SlurmSettings
    private let http: HTTPClient
    let timeout: Duration
    /// Shared by the copies of this client, so every job on the cluster shares one listing.
    private let queue = SlurmQueueListing()

    init(settings: SlurmSettings, http: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.settings = settings
        self.http = http
        self.timeout = timeout
    }

    var endpoint: SlurmRESTEndpoint { settings.restURL }

    func ping() async throws {
        let operation = "answer a ping"
        let (status, body) = try await call(.GET, "ping", operation: operation)
        try requireSuccess(status, body, operation: operation)
    }

    /// Submits a batch job; returns its id. Slurm's own refusal (an unknown partition, a
    /// limit the job exceeds) is a `SlurmError` of kind `.refused` with its sentence.
    func submit(_ body: SlurmSubmitBody) async throws -> Int {
        let operation = "submit the job"
        let data: Data
        do { data = try JSONEncoder().encode(body) } catch {
            throw SlurmError(endpoint: endpoint, operation: operation, kind: .malformedAnswer, detail: "\(error)")
        }
        let (status, answer) = try await call(.POST, "job/submit", body: data, operation: operation)
        let decoded = try? JSONDecoder().decode(SlurmSubmitAnswer.self, from: Data(answer))
        if let first = decoded?.errors?.first {
            throw SlurmError(endpoint: endpoint, operation: operation, kind: .refused(first.sentence), detail: first.sentence)
        }
        guard (200..<300).contains(status) else { throw statusError(status, answer, operation: operation) }
        guard let id = decoded?.job_id else {
            throw SlurmError(endpoint: endpoint, operation: operation, kind: .malformedAnswer, detail: "no job_id")
        }
        return id
    }

    func job(_ id: Int) async throws -> SlurmJobInfo {
        let operation = "tell the job's state"
        let (status, answer) = try await call(.GET, "job/\(id)", operation: operation)
        let decoded = try? JSONDecoder().decode(SlurmJobsAnswer.self, from: Data(answer))
        if let info = decoded?.jobs?.first(where: { $0.job_id == nil || $0.job_id == id }) { return info }
        if let first = decoded?.errors?.first {
            throw SlurmError(endpoint: endpoint, operation: operation, kind: .refused(first.sentence), detail: first.sentence)
        }
        guard (200..<300).contains(status) else { throw statusError(status, answer, operation: operation) }
        throw SlurmError(endpoint: endpoint, operation: operation, kind: .malformedAnswer, detail: "no job in the answer")
    }

    /// Every job Slurm still knows (finished ones for `MinJobAge`).
    func jobs() async throws -> [SlurmJobInfo] {
        let operation = "list its jobs"
        let (status, answer) = try await call(.GET, "jobs", operation: operation)
        try requireSuccess(status, answer, operation: operation)
        guard let decoded = try? JSONDecoder().decode(SlurmJobsAnswer.self, from: Data(answer)) else {
            throw SlurmError(endpoint: endpoint, operation: operation, kind: .malformedAnswer, detail: "no jobs in the answer")
        }
        return decoded.jobs ?? []
    }

    /// `jobs()`, listed at most once per `maxAge` for all callers together.
    func recentJobs(maxAge: Duration) async throws -> [SlurmJobInfo] {
        let client = self
        return try await queue.jobs(maxAge: maxAge) { try await client.jobs() }
    }

    func cancel(_ id: Int) async throws {
        let operation = "cancel the job"
        let (status, answer) = try await call(.DELETE, "job/\(id)", operation: operation)
        try requireSuccess(status, answer, operation: operation)
    }

    // MARK: Plumbing

    /// The token file's first line; `scontrol token` prints `SLURM_JWT=...`, taken as is.
    func token() throws -> String {
        guard let text = try? String(contentsOfFile: settings.tokenFile, encoding: .utf8) else {
            throw SlurmError(endpoint: endpoint, operation: "read the token", kind: .noToken, detail: "cannot read the token file")
        }
        var line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        if line.hasPrefix("SLURM_JWT=") { line.removeFirst("SLURM_JWT=".count) }
        line = line.trimmingCharacters(in: .whitespaces)
        guard !line.isEmpty, line.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 }) else {
            throw SlurmError(endpoint: endpoint, operation: "read the token", kind: .noToken, detail: "the token file holds no token")
        }
        return line
    }

    private func call(_ method: HTTPMethod, _ path: String, body: Data? = nil, operation: String) async throws -> (Int, [UInt8]) {
        var request = HTTPClientRequest(url: "\(endpoint.baseURL)/slurm/\(settings.apiVersion.rawValue)/\(path)")
        request.method = method
        request.headers.add(name: "X-SLURM-USER-NAME", value: settings.user)
        request.headers.add(name: "X-SLURM-USER-TOKEN", value: try token())
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await http.execute(request, timeout: .init(timeout))
            let bytes = try await response.body.collect(upTo: 4 << 20)
            return (Int(response.status.code), Array(buffer: bytes))
        } catch {
            // The transport's error names the host at most, never a header.
            throw SlurmError(endpoint: endpoint, operation: operation, kind: .unreachable, detail: "\(error)")
        }
    }

    private func requireSuccess(_ status: Int, _ answer: [UInt8], operation: String) throws {
        if let first = (try? JSONDecoder().decode(SlurmErrorsAnswer.self, from: Data(answer)))?.errors?.first {
            throw SlurmError(endpoint: endpoint, operation: operation, kind: .refused(first.sentence), detail: first.sentence)
        }
        guard (200..<300).contains(status) else { throw statusError(status, answer, operation: operation) }
    }

    private func statusError(_ status: Int, _ answer: [UInt8], operation: String) -> SlurmError {
        SlurmError(endpoint: endpoint, operation: operation, kind: .status(status),
                   detail: String(decoding: answer.prefix(512), as: UTF8.self))
    }
}
