public import Foundation
public import SluiceCore
public import SluiceCrypto

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
    /// How many times a job the node interrupted (crash, restart, shutdown) runs again
    /// from a fresh workspace; past that it ends and its orders are released.
    public var interruptedJobRetries: Int = 1
    /// The uids (and private gids) jobs run as on a root node, one per running job.
    public var sandboxUIDs: ClosedRange<UInt32>
    /// The output rules of a dataset whose owner set none (the config's `outputPolicy`
    /// over the built-in defaults); each dataset's owner may override them per key.
    public var outputPolicy: EffectiveOutputPolicy = .builtIn
    /// The node's key, which signs each job's `receipt.json`; nil writes no receipts.
    public var receiptKey: PrivateKey?
    /// Where the engine counts jobs and fetches (the node's own metrics factory).
    public var metrics = NodeMetrics()
    /// This process among the replicas sharing the store (`host:pid`).
    public var replica = ReplicaName.current
    /// How long a replica's hold of a job lasts unless renewed; a replica that stops
    /// renewing (killed, its machine gone) has its jobs taken over once it passed.
    public var holdSeconds: Double = 10
    /// How often holds are renewed, stops asked of other replicas looked for, and the
    /// shared queue looked at; lost holds are looked for every fourth time.
    public var heartbeat: Duration = .milliseconds(500)

    /// A range far above the ones Debian hands to accounts (1000...59999) and to
    /// subordinate ids for containers (100000 upward, 65536 per user).
    public static let defaultSandboxUIDs: ClosedRange<UInt32> = 1_900_000_000...1_900_065_535
    /// Where fetches may connect (the node config's `fetch`): internal addresses are
    /// refused unless allowed.
    public var egress: EgressPolicy
    /// How fetches resolve host names; tests substitute names they control.
    public var resolver: any HostResolver

    /// Files fetched when a job is started, waiting for it (node-private, mode 0700).
    public var stagingRoot: URL { workspaceRoot.appendingPathComponent(".staging") }

    public init(dataDirectory: String,
                maxSourceBytes: Int64 = 1 << 30,
                fetchTimeoutSeconds: Double = 60,
                algorithmLogCap: Int64 = 10 << 20,
                expirySweepInterval: Duration = .seconds(60),
                sandboxUIDs: ClosedRange<UInt32> = EngineConfiguration.defaultSandboxUIDs,
                egress: EgressPolicy = .standard,
                resolver: any HostResolver = SystemResolver()) {
        self.workspaceRoot = URL(fileURLWithPath: dataDirectory).appendingPathComponent("jobs")
        self.maxSourceBytes = maxSourceBytes
        self.fetchTimeoutSeconds = fetchTimeoutSeconds
        self.algorithmLogCap = algorithmLogCap
        self.expirySweepInterval = expirySweepInterval
        self.sandboxUIDs = sandboxUIDs
        self.egress = egress
        self.resolver = resolver
    }
}
