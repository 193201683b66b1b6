/// Everything a node needs to start, read from an optional JSON config file and
/// overridden by command-line flags. See README "Configuration".
public struct NodeConfig: Sendable, Equatable, Codable {
    /// Address the HTTP server binds to.
    public var host: String
    public var port: Int
    public var chainId: Int
    /// Where the node keeps its key, database and job workspaces.
    public var dataDir: String
    /// Base URL clients reach this node at, used in result URLs. Defaults to http://host:port.
    public var publicURL: String?
    /// Request bodies larger than this are refused with 413.
    public var maxRequestBodyBytes: Int
    public var environments: [ComputeEnvironment]
    /// Directories under which `local` file objects may point; none by default, so
    /// publishers cannot make the node read its own files.
    public var localFileRoots: [String]
    /// Where job workspaces live; `<sharedDir>/jobs` by default (see README).
    public var jobsDir: String?
    /// The directory every replica and every compute node of a cluster sees at the same
    /// path (NFS or the like), for workspaces and results; the data directory by default.
    public var sharedDir: String?
    /// `[first, last]`: the uids a root node runs jobs as, one per running job; nil for the
    /// engine's default range.
    public var sandboxUids: [UInt32]?
    /// How many times a job the node interrupted runs again; nil for the engine's default (1).
    public var interruptedJobRetries: Int?
    /// Where the node may fetch files from (the `fetch` object); loopback, private,
    /// link-local and similar addresses are refused unless allowed here.
    public var fetch: EgressPolicy
    /// The node's output rules (the `outputPolicy` object, see `OutputPolicy`): keys set
    /// here replace the built-in defaults; a dataset's owner may override them per key.
    public var outputPolicy: OutputPolicy?

    /// The rules a dataset without its own policy gets.
    public var effectiveOutputPolicy: EffectiveOutputPolicy { EffectiveOutputPolicy.builtIn.overridden(by: outputPolicy) }
    /// Where the node keeps its state: `"sqlite"` (the default, a file in `dataDir`) or a
    /// `postgres://user@host:port/db` URL, parsed when the config is read.
    public var database: DatabaseSetting
    /// A file holding the PostgreSQL password (its first line); else `PGPASSWORD`, else none.
    public var databasePasswordFile: String?
    /// A file holding the operator's token (its first line): the dashboard and `/metrics`
    /// answer only to it. No file, no dashboard.
    public var operatorTokenFile: String?
    /// `/metrics` without the operator token (a scraper on a private network).
    public var metricsPublic: Bool = false

    public init(
        host: String = "127.0.0.1",
        port: Int = 8030,
        chainId: Int = 8996,
        dataDir: String = ".sluice",
        publicURL: String? = nil,
        maxRequestBodyBytes: Int = 1 << 20,
        environments: [ComputeEnvironment] = [.defaultFree],
        localFileRoots: [String] = [],
        jobsDir: String? = nil,
        fetch: EgressPolicy = .standard,
        database: DatabaseSetting = .sqlite,
        databasePasswordFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.chainId = chainId
        self.dataDir = dataDir
        self.publicURL = publicURL
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.environments = environments
        self.localFileRoots = localFileRoots
        self.jobsDir = jobsDir
        self.fetch = fetch
        self.database = database
        self.databasePasswordFile = databasePasswordFile
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port, chainId, dataDir, publicURL, maxRequestBodyBytes, environments, localFileRoots, jobsDir, sharedDir, sandboxUids, interruptedJobRetries, fetch, outputPolicy
        case database, databasePasswordFile
        case operatorTokenFile, metricsPublic
    }

    /// Missing keys take the defaults of `init`; unknown keys are refused, naming the key.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self, object: "the node config")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = NodeConfig()
        self.host = try c.decodeIfPresent(String.self, forKey: .host) ?? d.host
        self.port = try c.decodeIfPresent(Int.self, forKey: .port) ?? d.port
        self.chainId = try c.decodeIfPresent(Int.self, forKey: .chainId) ?? d.chainId
        self.dataDir = try c.decodeIfPresent(String.self, forKey: .dataDir) ?? d.dataDir
        self.publicURL = try c.decodeIfPresent(String.self, forKey: .publicURL)
        self.maxRequestBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxRequestBodyBytes) ?? d.maxRequestBodyBytes
        self.environments = try c.decodeIfPresent([ComputeEnvironment].self, forKey: .environments) ?? d.environments
        self.localFileRoots = try c.decodeIfPresent([String].self, forKey: .localFileRoots) ?? d.localFileRoots
        self.jobsDir = try c.decodeIfPresent(String.self, forKey: .jobsDir)
        self.sharedDir = try c.decodeIfPresent(String.self, forKey: .sharedDir)
        if let sharedDir, !sharedDir.hasPrefix("/") {
            throw DecodingError.dataCorruptedError(forKey: .sharedDir, in: c, debugDescription: "sharedDir must be an absolute path")
        }
        self.sandboxUids = try c.decodeIfPresent([UInt32].self, forKey: .sandboxUids)
        self.interruptedJobRetries = try c.decodeIfPresent(Int.self, forKey: .interruptedJobRetries)
        self.fetch = try c.decodeIfPresent(EgressPolicy.self, forKey: .fetch) ?? d.fetch
        self.outputPolicy = try c.decodeIfPresent(OutputPolicy.self, forKey: .outputPolicy)
        self.database = try c.decodeIfPresent(DatabaseSetting.self, forKey: .database) ?? d.database
        self.databasePasswordFile = try c.decodeIfPresent(String.self, forKey: .databasePasswordFile)
        self.operatorTokenFile = try c.decodeIfPresent(String.self, forKey: .operatorTokenFile)
        self.metricsPublic = try c.decodeIfPresent(Bool.self, forKey: .metricsPublic) ?? false
    }

    /// The base URL for links the node hands out.
    public var baseURL: String {
        if let publicURL, !publicURL.isEmpty {
            return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        }
        let shownHost = (host == "0.0.0.0" || host == "::") ? "127.0.0.1" : host
        return "http://\(shownHost):\(port)"
    }

    public func environment(id: String) -> ComputeEnvironment? {
        environments.first { $0.id == id }
    }

    /// The environment `id` names, or the refusal every route gives for an unknown one.
    public func environment(id: String, field: String) throws(RequestError) -> ComputeEnvironment {
        guard let environment = environment(id: id) else { throw .unknownEnvironment(id, field: field) }
        return environment
    }

    /// Problems that stop the node from starting, each one sentence.
    public func problems() -> [String] {
        var out: [String] = []
        if !(0...65535).contains(port) { out.append("port must be between 0 and 65535") }
        if chainId < 1 { out.append("chainId must be a positive integer") }
        if maxRequestBodyBytes < 1024 { out.append("maxRequestBodyBytes must be at least 1024") }
        if dataDir.isEmpty { out.append("dataDir must not be empty") }
        if let file = databasePasswordFile, !file.hasPrefix("/") {
            out.append("databasePasswordFile must be an absolute path")
        }
        if let file = operatorTokenFile, !file.hasPrefix("/") {
            out.append("operatorTokenFile must be an absolute path")
        }
        if environments.isEmpty { out.append("at least one compute environment is required") }
        for root in localFileRoots where !root.hasPrefix("/") {
            out.append("localFileRoots entry \"\(root)\" must be an absolute path")
        }
        if let uids = sandboxUids, uids.count != 2 || uids[0] < 1000 || uids[0] > uids[1] || uids[1] > 4_294_967_293 {
            out.append("sandboxUids must be [first, last] with 1000 <= first <= last < 4294967294")
        }
        if let retries = interruptedJobRetries, !(0...10).contains(retries) {
            out.append("interruptedJobRetries must be between 0 and 10")
        }
        var seen = Set<String>()
        for env in environments {
            if !seen.insert(env.id).inserted { out.append("environment id \"\(env.id)\" is declared twice") }
            out.append(contentsOf: env.problems())
        }
        return out
    }
}
