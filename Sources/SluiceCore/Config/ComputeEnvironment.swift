/// A compute environment the node offers: the limits every job in it runs under and
/// what it costs. Declared in the node's config file; see README "Configuration".
public struct ComputeEnvironment: Sendable, Equatable, Codable {
    public var id: String
    public var description: String
    public var cpuType: String
    public var gpuType: String
    public var nGPU: Int
    /// CPU quota of one job, in cores (fractions allowed).
    public var nCPU: Double
    /// Memory of one job in GiB; swap is never allowed beyond it.
    public var ramGB: Double
    /// Disk for one job's outputs and logs together, in GiB.
    public var diskGB: Double
    /// Jobs of this environment that may run at once; more wait in its queue.
    public var maxJobs: Int
    /// Jobs that may wait beyond the `maxJobs` running; one more start is refused with 429.
    public var maxQueuedJobs: Int
    /// Wall time of one job, in seconds.
    public var maxJobDuration: Int
    /// Processes and threads one job may have at once.
    public var maxProcesses: Int
    /// Seconds results are kept after a job ends.
    public var storageExpiry: Int
    /// Price per minute in `feeToken` units; 0 makes the environment free.
    public var priceMin: Double
    public var feeToken: EthereumAddress
    /// Container `image:tag` to a runtime directory mounted read-only at `/opt/runtime`.
    public var runtimes: [String: String]
    /// Which compute backend runs this environment's jobs, with its settings. In the
    /// config: `"backend": "bubblewrap"` (the default) or `"docker"` with
    /// `dockerEndpoints` (`unix:///path`, `/path` or `tcp://host:port`), `allowedImages`
    /// and `pullImages`, or `"slurm"` with a `slurm` object (`SlurmSettings`).
    public var backend: Backend

    public init(
        id: String,
        description: String = "",
        cpuType: String = "",
        gpuType: String = "",
        nGPU: Int = 0,
        nCPU: Double = 1,
        ramGB: Double = 1,
        diskGB: Double = 1,
        maxJobs: Int = 2,
        maxQueuedJobs: Int = 100,
        maxJobDuration: Int = 600,
        maxProcesses: Int = 64,
        storageExpiry: Int = 604_800,
        priceMin: Double = 0,
        feeToken: EthereumAddress = .zero,
        runtimes: [String: String] = [:],
        backend: Backend = .bubblewrap
    ) {
        self.id = id
        self.description = description
        self.cpuType = cpuType
        self.gpuType = gpuType
        self.nGPU = nGPU
        self.nCPU = nCPU
        self.ramGB = ramGB
        self.diskGB = diskGB
        self.maxJobs = maxJobs
        self.maxQueuedJobs = maxQueuedJobs
        self.maxJobDuration = maxJobDuration
        self.maxProcesses = maxProcesses
        self.storageExpiry = storageExpiry
        self.priceMin = priceMin
        self.feeToken = feeToken
        self.runtimes = runtimes
        self.backend = backend
    }

    public var isFree: Bool { priceMin == 0 }

    /// The environment a node offers when its config declares none.
    public static let defaultFree = ComputeEnvironment(
        id: "free-cpu",
        description: "Free CPU environment for small jobs",
        nCPU: 1, ramGB: 1, diskGB: 1, maxJobs: 2
    )

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, description, cpuType, gpuType, nGPU, nCPU, ramGB, diskGB, maxJobs, maxQueuedJobs
        case maxJobDuration, maxProcesses, storageExpiry, priceMin, feeToken, runtimes, backend
        case dockerEndpoints, allowedImages, pullImages
        case slurm

        static let dockerOnly: [CodingKeys] = [.dockerEndpoints, .allowedImages, .pullImages]
    }

    /// Every key but `id` is optional and takes the defaults of `init`. Unknown keys, and
    /// a backend's keys on another backend, are refused naming the key.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self, object: "a compute environment")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ComputeEnvironment(id: try c.decode(String.self, forKey: .id))
        self.id = d.id
        self.description = try c.decodeIfPresent(String.self, forKey: .description) ?? d.description
        self.cpuType = try c.decodeIfPresent(String.self, forKey: .cpuType) ?? d.cpuType
        self.gpuType = try c.decodeIfPresent(String.self, forKey: .gpuType) ?? d.gpuType
        self.nGPU = try c.decodeIfPresent(Int.self, forKey: .nGPU) ?? d.nGPU
        self.nCPU = try c.decodeIfPresent(Double.self, forKey: .nCPU) ?? d.nCPU
        self.ramGB = try c.decodeIfPresent(Double.self, forKey: .ramGB) ?? d.ramGB
        self.diskGB = try c.decodeIfPresent(Double.self, forKey: .diskGB) ?? d.diskGB
        self.maxJobs = try c.decodeIfPresent(Int.self, forKey: .maxJobs) ?? d.maxJobs
        self.maxQueuedJobs = try c.decodeIfPresent(Int.self, forKey: .maxQueuedJobs) ?? d.maxQueuedJobs
        self.maxJobDuration = try c.decodeIfPresent(Int.self, forKey: .maxJobDuration) ?? d.maxJobDuration
        self.maxProcesses = try c.decodeIfPresent(Int.self, forKey: .maxProcesses) ?? d.maxProcesses
        self.storageExpiry = try c.decodeIfPresent(Int.self, forKey: .storageExpiry) ?? d.storageExpiry
        self.priceMin = try c.decodeIfPresent(Double.self, forKey: .priceMin) ?? d.priceMin
        self.feeToken = try c.decodeIfPresent(EthereumAddress.self, forKey: .feeToken) ?? d.feeToken
        self.runtimes = try c.decodeIfPresent([String: String].self, forKey: .runtimes) ?? d.runtimes
        self.backend = try Self.decodeBackend(c)
    }

    static func decodeBackend(_ c: KeyedDecodingContainer<CodingKeys>) throws -> Backend {
        let name = try c.decodeIfPresent(String.self, forKey: .backend) ?? "bubblewrap"
        switch name {
        case "bubblewrap":
            try refuse(CodingKeys.dockerOnly, in: c, "applies to the docker backend only")
            try refuse([.slurm], in: c, "applies to the slurm backend only")
            return .bubblewrap
        case "slurm":
            try refuse(CodingKeys.dockerOnly, in: c, "applies to the docker backend only")
            guard c.contains(.slurm) else {
                throw DecodingError.dataCorruptedError(forKey: .backend, in: c,
                                                       debugDescription: "the slurm backend needs a \"slurm\" object (restURL, tokenFile, user, partition)")
            }
            return .slurm(try c.decode(SlurmSettings.self, forKey: .slurm))
        case "docker":
            try refuse([.slurm], in: c, "applies to the slurm backend only")
            let texts = try c.decodeIfPresent([String].self, forKey: .dockerEndpoints) ?? []
            var endpoints: [DockerEndpointAddress] = []
            for (index, text) in texts.enumerated() {
                guard let endpoint = DockerEndpointAddress(text) else {
                    throw DecodingError.dataCorrupted(DecodingError.Context(
                        codingPath: c.codingPath + [CodingKeys.dockerEndpoints, AnyCodingKey(intValue: index)],
                        debugDescription: "docker endpoint \"\(text.prefix(128))\" must be unix:///path, /path or tcp://host:port"))
                }
                endpoints.append(endpoint)
            }
            return .docker(DockerSettings(
                endpoints: endpoints,
                allowedImages: try c.decodeIfPresent([String].self, forKey: .allowedImages) ?? [],
                pullImages: try c.decodeIfPresent(Bool.self, forKey: .pullImages) ?? false))
        default:
            throw DecodingError.dataCorruptedError(forKey: .backend, in: c,
                                                   debugDescription: "backend must be \"bubblewrap\", \"docker\" or \"slurm\", not \"\(name.prefix(64))\"")
        }
    }

    /// A backend's keys on another backend are refused, naming the first present.
    private static func refuse(_ keys: [CodingKeys], in c: KeyedDecodingContainer<CodingKeys>, _ reason: String) throws {
        for key in keys where c.contains(key) {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: reason)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(description, forKey: .description)
        try c.encode(cpuType, forKey: .cpuType)
        try c.encode(gpuType, forKey: .gpuType)
        try c.encode(nGPU, forKey: .nGPU)
        try c.encode(nCPU, forKey: .nCPU)
        try c.encode(ramGB, forKey: .ramGB)
        try c.encode(diskGB, forKey: .diskGB)
        try c.encode(maxJobs, forKey: .maxJobs)
        try c.encode(maxQueuedJobs, forKey: .maxQueuedJobs)
        try c.encode(maxJobDuration, forKey: .maxJobDuration)
        try c.encode(maxProcesses, forKey: .maxProcesses)
        try c.encode(storageExpiry, forKey: .storageExpiry)
        try c.encode(priceMin, forKey: .priceMin)
        try c.encode(feeToken.checksummed, forKey: .feeToken)
        try c.encode(runtimes, forKey: .runtimes)
        try c.encode(backend.name, forKey: .backend)
        if let docker = backend.docker {
            try c.encode(docker.endpoints.map(\.description), forKey: .dockerEndpoints)
            try c.encode(docker.allowedImages, forKey: .allowedImages)
            try c.encode(docker.pullImages, forKey: .pullImages)
        }
        if let slurm = backend.slurm { try c.encode(slurm, forKey: .slurm) }
    }

    /// Problems that make this environment unusable, each one sentence.
    public func problems() -> [String] {
        var out: [String] = []
        let name = "environment \"\(id)\""
        if id.isEmpty || id.utf8.count > 64 || !id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) {
            out.append("\(name): id must be 1 to 64 letters, digits, '-', '_' or '.'")
        }
        if !(nCPU > 0) { out.append("\(name): nCPU must be greater than 0") }
        if !(ramGB > 0) { out.append("\(name): ramGB must be greater than 0") }
        if !(diskGB > 0) { out.append("\(name): diskGB must be greater than 0") }
        if maxJobs < 1 { out.append("\(name): maxJobs must be at least 1") }
        if maxQueuedJobs < 0 { out.append("\(name): maxQueuedJobs must not be negative") }
        if maxJobDuration < 1 { out.append("\(name): maxJobDuration must be at least 1 second") }
        if maxProcesses < 1 { out.append("\(name): maxProcesses must be at least 1") }
        if storageExpiry < 0 { out.append("\(name): storageExpiry must not be negative") }
        if !(priceMin >= 0) { out.append("\(name): priceMin must not be negative") }
        if backend.slurm != nil, runtimes.values.contains(where: { !$0.hasPrefix("/") }) {
            out.append("\(name): the slurm backend's runtimes must be absolute paths the compute nodes see")
        }
        if backend.slurm != nil, runtimes.isEmpty {
            out.append("\(name): the slurm backend needs at least one entry in runtimes (directories the compute nodes see)")
        }
        if let docker = backend.docker {
            if docker.endpoints.isEmpty { out.append("\(name): the docker backend needs at least one entry in dockerEndpoints") }
            if docker.allowedImages.isEmpty { out.append("\(name): the docker backend needs at least one entry in allowedImages") }
            if docker.allowedImages.contains(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
                out.append("\(name): allowedImages entries must be image names without spaces")
            }
        }
        return out
    }
}
