public import SluiceCore

/// The limits one job runs under, derived from its environment.
public struct JobLimits: Sendable, Equatable {
    public var memoryBytes: Int64
    public var maxProcesses: Int
    /// CPU quota in cores.
    public var cpus: Double
    /// Outputs and logs together.
    public var diskBytes: Int64
    public var wallTimeSeconds: Int
    /// `algorithm.log` is cut (with a marker) beyond this.
    public var algorithmLogBytes: Int64

    public init(memoryBytes: Int64, maxProcesses: Int, cpus: Double, diskBytes: Int64,
                wallTimeSeconds: Int, algorithmLogBytes: Int64) {
        self.memoryBytes = memoryBytes
        self.maxProcesses = maxProcesses
        self.cpus = cpus
        self.diskBytes = diskBytes
        self.wallTimeSeconds = wallTimeSeconds
        self.algorithmLogBytes = algorithmLogBytes
    }

    public init(environment: ComputeEnvironment, algorithmLogCap: Int64) {
        let gib = 1024.0 * 1024.0 * 1024.0
        let disk = Int64(environment.diskGB * gib)
        self.init(
            memoryBytes: Int64(environment.ramGB * gib),
            maxProcesses: environment.maxProcesses,
            cpus: environment.nCPU,
            diskBytes: disk,
            wallTimeSeconds: environment.maxJobDuration,
            // The log shares the disk quota: never let it alone fill it.
            algorithmLogBytes: min(algorithmLogCap, max(disk / 2, 4096)))
    }
}
