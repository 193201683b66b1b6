/// When the node cannot create cgroups (not root, read-only cgroupfs), the launcher's
/// rlimits are all that holds the job: address space for memory, processes per uid,
/// and nothing for CPU. The configure log says so.
struct RlimitFallback {
    static func limitsInForce(_ limits: JobLimits) -> [String] {
        [
            "memory: \(limits.memoryBytes) bytes of address space (rlimit; cgroups unavailable, swap not limited)",
            "processes: \(limits.maxProcesses) per sandbox uid (rlimit; cgroups unavailable)",
            "cpu: not limited (cgroups unavailable)",
        ]
    }

    /// `ulimit` options for dash: -v in KiB, -p processes.
    static func ulimitOptions(_ limits: JobLimits) -> [(String, String)] {
        [("-v", String(max(limits.memoryBytes / 1024, 1))), ("-p", String(limits.maxProcesses))]
    }
}
