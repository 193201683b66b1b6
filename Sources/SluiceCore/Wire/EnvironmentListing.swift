/// One entry of `GET /api/services/computeEnvironments` (contract section 4): what the
/// node answers and what the SDK reads.
public struct EnvironmentListing: Codable, Sendable, Equatable {
    public var id: String
    public var desc: String
    public var cpuType: String
    public var nCPU: Double
    public var gpuType: String
    public var nGPU: Int
    public var ramGB: Double
    public var diskGB: Double
    public var priceMin: Double
    public var currentJobs: Int
    public var maxJobs: Int
    public var maxJobDuration: Int
    public var storageExpiry: Int
    /// The provider's address: ocean-lib orders with it as the consumer.
    public var consumerAddress: String
    public var feeToken: String
    public var free: Bool
    public var lastSeen: String
    public var chainId: Int

    /// `environment` as the node offers it now.
    public init(_ environment: ComputeEnvironment, currentJobs: Int, provider: String, chainId: Int, lastSeen: String) {
        id = environment.id
        desc = environment.description
        cpuType = environment.cpuType
        nCPU = environment.nCPU
        gpuType = environment.gpuType
        nGPU = environment.nGPU
        ramGB = environment.ramGB
        diskGB = environment.diskGB
        priceMin = environment.priceMin
        self.currentJobs = currentJobs
        maxJobs = environment.maxJobs
        maxJobDuration = environment.maxJobDuration
        storageExpiry = environment.storageExpiry
        consumerAddress = provider
        feeToken = environment.feeToken.checksummed
        free = environment.isFree
        self.lastSeen = lastSeen
        self.chainId = chainId
    }

    public var isFree: Bool { free }
}
