import Foundation
public import SluiceCore

/// What the operator's view reads of the engine: every owner's jobs, a running job's
/// log, and the disk the workspaces hold.
public struct StorageReport: Sendable, Equatable {
    /// Every byte under the job workspaces (inputs, outputs and logs).
    public var workspaceBytes: Int64
    /// The results of finished jobs, as listed to their owners.
    public var resultBytes: Int64
    /// When the next finished job expires (Unix seconds) and which; nil with none kept.
    public var nextExpiry: Double?
    public var nextExpiringJob: String?
}

extension ComputeEngine {
    /// The stored jobs `filter` keeps, each in its current state (a live job's record is
    /// newer than its row).
    public func records(matching filter: JobFilter) async throws -> [JobRecord] {
        try await store.jobs(matching: filter).map { live[$0.jobId]?.record ?? $0 }
    }

    /// One job's record in its current state; nil when unknown.
    public func jobRecord(id: String) async throws -> JobRecord? {
        try await record(id: id)
    }

    /// The last `maxBytes` of a job's log (`algorithm.log` or `configure.log`), read as
    /// it grows; nil when the job or its log does not exist. Never follows a link.
    public func logTail(of id: String, log: JobResultFile.Kind, maxBytes: Int = 64 << 10) async throws -> String? {
        guard try await record(id: id) != nil else { return nil }
        let name: String
        switch log {
        case .algorithmLog: name = "algorithm.log"
        case .configurationLog: name = "configure.log"
        case .publishLog: name = "publish.log"
        case .output, .receipt: return nil
        }
        guard let fd = Self.openWithoutLinks(root: workspace(of: id).root.path, relative: "logs/" + name) else { return nil }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int64(st.st_size)
        let start = max(0, size - Int64(maxBytes))
        try handle.seek(toOffset: UInt64(start))
        let data = try handle.read(upToCount: Int(size - start)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The receipt a finished job's node signed, as written; nil before it ends or without one.
    public func receipt(of id: String) async throws -> String? {
        guard let record = try await record(id: id), record.status.isTerminal,
              record.results.contains(where: { $0.type == .receipt }),
              let fd = Self.openWithoutLinks(root: workspace(of: id).root.path, relative: "logs/receipt.json") else { return nil }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        let data = try handle.read(upToCount: 1 << 20) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Disk used by the workspaces and results, and the next job to expire.
    public func storage() async -> StorageReport {
        var report = StorageReport(workspaceBytes: ResultsListing.usage(of: configuration.workspaceRoot.path), resultBytes: 0)
        for environment in environments.values {
            guard let kept = try? await store.finishedJobs(environment: environment.id, before: .greatestFiniteMagnitude) else { continue }
            for job in kept {
                report.resultBytes += job.results.reduce(0) { $0 + $1.filesize }
                let expiry = (job.dateFinished ?? job.statusChangedAt) + Double(environment.storageExpiry)
                if report.nextExpiry.map({ expiry < $0 }) ?? true {
                    report.nextExpiry = expiry
                    report.nextExpiringJob = job.jobId
                }
            }
        }
        return report
    }
}

extension ComputeEngine {
    /// Bytes a job's workspace holds on disk now (inputs, outputs and logs).
    public func workspaceBytes(of id: String) -> Int64 {
        ResultsListing.usage(of: workspace(of: id).root.path)
    }
}
