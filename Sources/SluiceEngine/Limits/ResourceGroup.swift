/// A kernel group holding one job's process tree, with its limits applied.
protocol ResourceGroup: Sendable {
    /// Files the launcher writes its own pid to before exec'ing the sandbox, so every
    /// process of the job starts inside the group.
    var procsFiles: [String] { get }
    /// One line per limit, for the job's configure log.
    var limitsInForce: [String] { get }
    /// Whether the kernel killed a process of the group for lack of memory.
    func outOfMemoryKills() -> Int
    /// The CPU time of every process the group held, where the kernel counts it.
    func cpuSeconds() -> Double?
    /// The most memory the group held at once, where the kernel keeps that figure.
    func peakMemoryBytes() -> Int64?
    /// SIGKILLs every process in the group until it is empty (bounded retries).
    func killAll()
    /// Removes the group; the processes must be gone.
    func remove()
}

/// Creates resource groups for jobs; which kind depends on the host.
protocol ResourceGroupFactory: Sendable {
    /// "cgroup v2", "cgroup v1".
    var name: String { get }
    func makeGroup(jobId: String, limits: JobLimits) throws -> any ResourceGroup
    /// Kills and removes the group a previous run of the node left for `jobId`, if any.
    func removeLeftovers(of jobId: String)
}
