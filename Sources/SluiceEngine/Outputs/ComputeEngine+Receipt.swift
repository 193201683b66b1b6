import Foundation
import SluiceCore
import SluiceCrypto

extension ComputeEngine {
    /// Writes the signed `receipt.json` of a job ending now into its logs (created
    /// root-owned with the workspace, so the algorithm cannot have planted it) and
    /// returns its result entry; nil without a key or a workspace.
    func writeReceipt(_ record: JobRecord, _ ending: JobEnding, outputs: [JobReceipt.File], at now: Double) async -> JobResultFile? {
        guard let key = configuration.receiptKey, let specification = record.specification else { return nil }
        let workspace = workspace(of: record.jobId)
        guard FileManager.default.fileExists(atPath: workspace.logs.path) else { return nil }
        let transitions = (try? await store.transitions(of: record.jobId)) ?? []
        let receipt = Self.receipt(record, specification: specification, ending: ending, outputs: outputs, now: now,
                                   transitions: transitions, environment: environments[record.environment], node: key.address)
        guard let bytes = try? SignedReceipt.encode(receipt, key: key) else { return nil }
        let fd = open(workspace.receipt.path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_uid == geteuid(),
              (try? writeAll(fd, bytes, count: bytes.count)) != nil else { return nil }
        return JobResultFile(index: record.results.count, filename: "receipt.json", filesize: Int64(bytes.count), type: .receipt)
    }

    static func receipt(_ record: JobRecord, specification: JobSpecification, ending: JobEnding, outputs: [JobReceipt.File],
                        now: Double, transitions: [JobTransition], environment: ComputeEnvironment?,
                        node: EthereumAddress) -> JobReceipt {
        let digests = record.fileDigests ?? []
        let datasets = record.inputDIDs.map { did in
            JobReceipt.Dataset(did: did, files: digests.filter { $0.role == .dataset && $0.source == did }
                .map { JobReceipt.FileDigestEntry(index: $0.index, sha256: $0.sha256, size: $0.size) })
        }
        let code = digests.first { $0.role == .algorithm }
        let started = transitions.last { $0.status == .runningAlgorithm }?.at
        let ended = transitions.last { $0.status == .filteringResults }?.at ?? (started == nil ? nil : now)
        let wall = started.flatMap { s in ended.map { JobStatus.decimalSeconds(max(0, $0 - s)) } }
        return JobReceipt(
            jobId: record.jobId, owner: record.owner, node: node.checksummed,
            environment: JobReceipt.Environment(environment ?? ComputeEnvironment(id: record.environment)),
            datasets: datasets,
            algorithm: JobReceipt.Algorithm(did: record.algoDID, sha256: code?.sha256, size: code?.size,
                                            container: specification.algorithm.container),
            resources: JobReceipt.Resources(wallTimeSeconds: wall, exitCode: ending.exitCode, usage: record.usage),
            status: ending.status.rawValue, terminationReason: ending.reason?.rawValue,
            outputChecks: (record.outputChecks?.decisions ?? []).map(JobReceipt.Decision.init),
            review: record.review.map(JobReceipt.Review.init),
            outputs: outputs,
            dateCreated: JobStatus.decimalSeconds(record.dateCreated),
            dateStarted: started.map(JobStatus.decimalSeconds),
            dateFinished: JobStatus.decimalSeconds(now))
    }
}
