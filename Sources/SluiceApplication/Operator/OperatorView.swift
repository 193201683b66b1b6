public import SluiceCore
public import SluiceEngine

/// An environment as the operator sees it: its limits and its jobs now.
public struct EnvironmentOverview: Sendable {
    public let environment: ComputeEnvironment
    public let running: Int
    public let queued: Int
}

/// One job in full: its record, every transition, its logs as they are now, its
/// workspace's size and its receipt.
public struct JobOverview: Sendable {
    public let record: JobRecord
    public let transitions: [JobTransition]
    public let algorithmLog: String?
    public let configureLog: String?
    public let workspaceBytes: Int64
    public let receipt: String?
}

/// An asset and the algorithms trusted on each of its compute services.
public struct AssetOverview: Sendable {
    public let ddo: DDO
    public let trustedAlgorithms: [String]
}

/// The operator's read-only queries over the engine, the job store and the assets; the
/// dashboard's pages are made from these alone.
public struct OperatorView: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func environments() async -> [EnvironmentOverview] {
        var out: [EnvironmentOverview] = []
        for environment in node.config.environments {
            out.append(EnvironmentOverview(environment: environment,
                                           running: await node.engine.currentJobs(environment: environment.id),
                                           queued: await node.engine.queuedJobs(environment: environment.id)))
        }
        return out
    }

    public func jobs(_ filter: JobFilter) async throws -> [JobRecord] {
        try await node.engine.records(matching: filter)
    }

    /// nil for an unknown job.
    public func job(id: String) async throws -> JobOverview? {
        guard let record = try await node.engine.jobRecord(id: id) else { return nil }
        return JobOverview(record: record, transitions: try await node.engine.transitions(of: id),
                           algorithmLog: try await node.engine.logTail(of: id, log: .algorithmLog),
                           configureLog: try await node.engine.logTail(of: id, log: .configurationLog),
                           workspaceBytes: await node.engine.workspaceBytes(of: id),
                           receipt: try await node.engine.receipt(of: id))
    }

    /// Every asset the node knows (its embedded ledger's or a chain's), newest first, at most `limit`.
    public func assets(limit: Int = 500) async throws -> [AssetOverview] {
        let found = try await node.search.search(AssetSearch(query: .all, from: 0, size: limit, sort: []))
        return found.hits.map { hit in
            AssetOverview(ddo: hit.ddo, trustedAlgorithms: hit.ddo.services.flatMap { $0.compute?.publisherTrustedAlgorithms.map(\.did) ?? [] })
        }
    }

    public func storage() async -> StorageReport {
        await node.engine.storage()
    }
}
