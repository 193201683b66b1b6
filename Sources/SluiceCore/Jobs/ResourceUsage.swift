/// What a job's run used, as its backend measured it; a field is nil where the backend
/// cannot measure it (the configure log says which).
public struct ResourceUsage: Sendable, Equatable, Codable {
    /// CPU time of every process of the job, user and system together, in seconds.
    public var cpuSeconds: Double?
    /// The most memory the job held at once, in bytes: its cgroup's peak where the kernel
    /// keeps one, else the resident set of its largest process.
    public var peakMemoryBytes: Int64?

    public init(cpuSeconds: Double? = nil, peakMemoryBytes: Int64? = nil) {
        self.cpuSeconds = cpuSeconds
        self.peakMemoryBytes = peakMemoryBytes
    }

    /// Neither figure known.
    public static let unmeasured = ResourceUsage()

    public var isUnmeasured: Bool { cpuSeconds == nil && peakMemoryBytes == nil }
}
