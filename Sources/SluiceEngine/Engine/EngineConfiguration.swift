import Foundation

/// Node-wide settings of the engine (per-environment limits come from the environments).
public struct EngineConfiguration: Sendable {
    /// Where job workspaces live: `<dataDir>/jobs`.
    public var workspaceRoot: URL
    /// Largest file the node copies or downloads for one input or algorithm.
    public var maxSourceBytes: Int64
    /// Time limit of one download.
    public var fetchTimeoutSeconds: Double
    /// `algorithm.log` is cut beyond this (and never beyond half the disk quota).
    public var algorithmLogCap: Int64
    /// How often finished jobs past their environment's storageExpiry are removed.
    public var expirySweepInterval: Duration

    public init(dataDirectory: String,
                maxSourceBytes: Int64 = 1 << 30,
                fetchTimeoutSeconds: Double = 60,
                algorithmLogCap: Int64 = 10 << 20,
                expirySweepInterval: Duration = .seconds(60)) {
        self.workspaceRoot = URL(fileURLWithPath: dataDirectory).appendingPathComponent("jobs")
        self.maxSourceBytes = maxSourceBytes
        self.fetchTimeoutSeconds = fetchTimeoutSeconds
        self.algorithmLogCap = algorithmLogCap
        self.expirySweepInterval = expirySweepInterval
    }
}
