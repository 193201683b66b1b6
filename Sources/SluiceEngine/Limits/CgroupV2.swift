import Foundation

/// cgroup v2 (unified hierarchy mounted at the cgroup root). A cgroup with processes
/// cannot hand controllers to children, so the node moves itself into a leaf
/// `sluice-node` and puts jobs under `sluice-jobs`, both children of its own cgroup.
/// Under systemd this needs `Delegate=yes` on the node's service.
struct CgroupV2Factory: ResourceGroupFactory {
    let name = "cgroup v2"
    let parent: String
    static let controllers = ["memory", "pids", "cpu"]

    /// nil when the host has no unified hierarchy with the needed controllers, or the
    /// node cannot delegate them to its job groups.
    init?(mountRoot: String = "/sys/fs/cgroup", ownPath: String? = CgroupFiles.ownPath(controller: "")) {
        guard let available = CgroupFiles.read("\(mountRoot)/cgroup.controllers"),
              let ownPath else { return nil }
        let base = mountRoot + (ownPath == "/" ? "" : ownPath)
        let offered = Set((CgroupFiles.read("\(base)/cgroup.controllers") ?? available).split(whereSeparator: \.isWhitespace).map(String.init))
        guard Self.controllers.allSatisfy(offered.contains) else { return nil }
        let enable = Self.controllers.map { "+\($0)" }.joined(separator: " ")
        do {
            let subtree = Set((CgroupFiles.read("\(base)/cgroup.subtree_control") ?? "").split(whereSeparator: \.isWhitespace).map(String.init))
            if !Self.controllers.allSatisfy(subtree.contains) {
                // Leave the node's own cgroup empty so it may delegate controllers.
                let leaf = "\(base)/sluice-node"
                try CgroupFiles.makeDirectory(leaf)
                for pid in CgroupFiles.pids(in: "\(base)/cgroup.procs") {
                    try? CgroupFiles.write(String(pid), to: "\(leaf)/cgroup.procs")
                }
                try CgroupFiles.write(enable, to: "\(base)/cgroup.subtree_control")
            }
            parent = "\(base)/sluice-jobs"
            try CgroupFiles.makeDirectory(parent)
            try CgroupFiles.write(enable, to: "\(parent)/cgroup.subtree_control")
        } catch {
            return nil
        }
    }

    func makeGroup(jobId: String, limits: JobLimits) throws -> any ResourceGroup {
        let dir = "\(parent)/\(jobId)"
        try CgroupFiles.makeDirectory(dir)
        do {
            let inForce = try CgroupV2Group.apply(limits, to: dir)
            return CgroupV2Group(directory: dir, limitsInForce: inForce)
        } catch {
            CgroupFiles.removeDirectory(dir)
            throw error
        }
    }

    func removeLeftovers(of jobId: String) {
        guard CgroupFiles.exists("\(parent)/\(jobId)/cgroup.procs") else { return }
        CgroupV2Group(directory: "\(parent)/\(jobId)", limitsInForce: []).killAll()
        CgroupFiles.removeDirectory("\(parent)/\(jobId)")
    }
}

struct CgroupV2Group: ResourceGroup {
    let directory: String
    let limitsInForce: [String]

    var procsFiles: [String] { ["\(directory)/cgroup.procs"] }

    static func apply(_ limits: JobLimits, to dir: String) throws -> [String] {
        var inForce: [String] = []
        try CgroupFiles.write(String(limits.memoryBytes), to: "\(dir)/memory.max")
        if CgroupFiles.exists("\(dir)/memory.swap.max") {
            try CgroupFiles.write("0", to: "\(dir)/memory.swap.max")
            inForce.append("memory: \(limits.memoryBytes) bytes, no swap (cgroup v2 memory.max, memory.swap.max 0)")
        } else {
            inForce.append("memory: \(limits.memoryBytes) bytes (cgroup v2 memory.max; the kernel has no swap accounting)")
        }
        let max = limits.maxProcesses + BubblewrapArguments.monitorProcesses
        try CgroupFiles.write(String(max), to: "\(dir)/pids.max")
        inForce.append("processes: \(limits.maxProcesses) (+\(BubblewrapArguments.monitorProcesses) for the sandbox monitor; cgroup v2 pids.max)")
        let period = 100_000
        let quota = Swift.max(1_000, Int(limits.cpus * Double(period)))
        try CgroupFiles.write("\(quota) \(period)", to: "\(dir)/cpu.max")
        inForce.append("cpu: \(limits.cpus) cores (cgroup v2 cpu.max \(quota) \(period))")
        return inForce
    }

    func outOfMemoryKills() -> Int {
        guard let text = CgroupFiles.read("\(directory)/memory.events") else { return 0 }
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("oom_kill ") {
            return Int(line.dropFirst("oom_kill ".count)) ?? 0
        }
        return 0
    }

    /// `usage_usec` of `cpu.stat`.
    func cpuSeconds() -> Double? {
        CgroupFiles.read("\(directory)/cpu.stat").flatMap(CgroupFiles.cpuSeconds(fromCPUStat:))
    }

    /// `memory.peak` (Linux 5.19+).
    func peakMemoryBytes() -> Int64? {
        CgroupFiles.read("\(directory)/memory.peak").flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    func killAll() {
        // cgroup.kill (Linux 5.14+) kills the whole group atomically; older kernels loop.
        if (try? CgroupFiles.write("1", to: "\(directory)/cgroup.kill")) != nil {
            for _ in 0..<200 where !CgroupFiles.pids(in: "\(directory)/cgroup.procs").isEmpty { usleep(1_000) }
        }
        CgroupFiles.killAll(listedIn: "\(directory)/cgroup.procs")
    }

    func remove() { CgroupFiles.removeDirectory(directory) }
}
