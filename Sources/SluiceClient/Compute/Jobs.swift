import Foundation
import NIOHTTP1
public import SluiceCore

extension NodeClient {
    /// Starts a job on paid inputs (`ocean.compute.start`); signs
    /// `consumerAddress + dataset documentId`.
    public func startCompute(dataset: ComputeInput, algorithm: ComputeInput, environment: String,
                             by wallet: Wallet) async throws(ClientError) -> JobStatus {
        guard dataset.transferTxId != nil, algorithm.transferTxId != nil else {
            throw .invalidInput("Pay for the dataset and the algorithm first (payForCompute).")
        }
        return try await sendStart(try await startBody(dataset: dataset, algorithm: algorithm, environment: environment, by: wallet))
    }

    /// The signed body of a compute start, under a fresh nonce.
    func startBody(dataset: ComputeInput, algorithm: ComputeInput, environment: String,
                   by wallet: Wallet) async throws(ClientError) -> String {
        let nonce = try await nextNonce(for: wallet)
        let signed = SignedFields(consumerAddress: wallet.checksummed, nonce: nonce,
                                  signature: wallet.sign(wallet.checksummed + dataset.ddo.id.text, nonce: nonce))
        return try encodeJSON(ComputeStartRequest(signed: signed, environment: environment, dataset: dataset.reference,
                                                  algorithm: algorithm.algorithmReference))
    }

    /// Sends a signed start body as it is (a replay sends the same one again).
    func sendStart(_ body: String) async throws(ClientError) -> JobStatus {
        try await firstJob(try await http.send(.POST, Paths.compute, body: body))
    }

    /// The job's status; signs `consumerAddress + jobId + documentId`.
    public func status(jobId: String, by wallet: Wallet) async throws(ClientError) -> JobStatus {
        try await firstJob(try await http.send(.GET, Paths.compute, query: try await jobQuery(jobId, by: wallet)))
    }

    /// Asks the node to stop the job; answers its status.
    public func stop(jobId: String, by wallet: Wallet) async throws(ClientError) -> JobStatus {
        try await firstJob(try await http.send(.PUT, Paths.compute, query: try await jobQuery(jobId, by: wallet)))
    }

    /// Deletes the job and its results from the node.
    public func delete(jobId: String, by wallet: Wallet) async throws(ClientError) -> JobStatus {
        try await firstJob(try await http.send(.DELETE, Paths.compute, query: try await jobQuery(jobId, by: wallet)))
    }

    /// Polls until the job is finished, calling `onChange` for the first status and for
    /// every change of status (or of its place in a cluster scheduler) after it. Returns
    /// the final status, failed or not.
    public func wait(jobId: String, by wallet: Wallet, pollInterval: Duration = .milliseconds(500), timeout: Duration? = nil,
                     onChange: @Sendable (JobStatus) async -> Void = { _ in }) async throws(ClientError) -> JobStatus {
        let clock = ContinuousClock()
        let start = clock.now
        var last: (status: Int, text: String, scheduler: SchedulerJob?)?
        while true {
            let job = try await status(jobId: jobId, by: wallet)
            if last.map({ $0.status != job.status || $0.text != job.statusText || $0.scheduler != job.scheduler }) ?? true {
                last = (job.status, job.statusText, job.scheduler)
                await onChange(job)
            }
            if job.isFinished { return job }
            if let timeout, clock.now - start > timeout {
                throw .timedOut(jobId: jobId, seconds: Int(timeout.components.seconds))
            }
            do { try await Task.sleep(for: pollInterval) } catch { throw .invalidInput("Waiting for job \(jobId) was cancelled.") }
        }
    }

    /// Streams result `index` of the job into `file`; signs `consumerAddress + jobId + index`.
    @discardableResult
    public func downloadResult(jobId: String, index: Int, to file: URL, by wallet: Wallet) async throws(ClientError) -> Int64 {
        let nonce = try await nextNonce(for: wallet)
        let query = [("consumerAddress", wallet.checksummed), ("nonce", nonce.text), ("jobId", jobId), ("index", String(index)),
                     ("signature", wallet.sign(wallet.checksummed + jobId + String(index), nonce: nonce))]
        return try await http.download(Paths.computeResult, query: query, to: file)
    }

    /// Downloads every output of a finished job under `directory` (keeping the
    /// algorithm's sub-directories) and its logs under `directory/logs`; returns the files.
    public func downloadResults(of job: JobStatus, to directory: URL, includeOutputs: Bool = true, includeLogs: Bool = true,
                                by wallet: Wallet) async throws(ClientError) -> [URL] {
        var written: [URL] = []
        for result in job.results {
            let isLog = result.type != .output
            if isLog && !includeLogs || !isLog && !includeOutputs { continue }
            let name = try Self.safeRelativePath(result.filename)
            let file = isLog ? directory.appendingPathComponent("logs").appendingPathComponent(name)
                             : directory.appendingPathComponent(name)
            try await downloadResult(jobId: job.jobId, index: result.index, to: file, by: wallet)
            written.append(file)
        }
        return written
    }

    /// A result name as a path that stays inside the download directory.
    static func safeRelativePath(_ name: String) throws(ClientError) -> String {
        let parts = name.split(separator: "/").filter { $0 != "." }
        guard !parts.isEmpty, !parts.contains(".."), !name.hasPrefix("/") else {
            throw .invalidInput("The node named a result \"\(name)\", which is not a safe file name.")
        }
        return parts.joined(separator: "/")
    }

    private func jobQuery(_ jobId: String, by wallet: Wallet) async throws(ClientError) -> [(String, String)] {
        guard !jobId.isEmpty else { throw .invalidInput("A job id is required.") }
        let nonce = try await nextNonce(for: wallet)
        return [("consumerAddress", wallet.checksummed), ("nonce", nonce.text), ("jobId", jobId),
                ("signature", wallet.sign(wallet.checksummed + jobId, nonce: nonce))]
    }

    private func firstJob(_ bytes: [UInt8]) async throws(ClientError) -> JobStatus {
        guard let job = try decode([JobStatus].self, bytes, what: "job status").first else {
            throw .node(status: 404, message: "the node reports no such job", field: "jobId")
        }
        return job
    }
}
