import Foundation

/// cgroup v1: one directory per controller (`memory`, `pids`, `cpu`), each job a child
/// of `<controller mount>/<this process's cgroup>/sluice`.
struct CgroupV1Factory: ResourceGroupFactory {
    let name = "cgroup v1"
    /// Controller name to the directory holding the node's job groups.
    let parents: [String: String]

    /// nil when a controller is missing or its directory cannot be created.
    init?(mountRoot: String = "/sys/fs/cgroup") {
        var parents: [String: String] = [:]
        for controller in ["memory", "pids", "cpu"] {
            guard let parent = Self.parent(controller, mountRoot: mountRoot) else { return nil }
            parents[controller] = parent
        }
        // CPU accounting, for what a job used: in the cpu directory where the two are
        // mounted together, else a hierarchy of its own the job joins as well.
        let cpuacct = "\(mountRoot)/cpuacct"
        if !CgroupFiles.exists("\(mountRoot)/cpu/cpuacct.usage"), CgroupFiles.exists("\(cpuacct)/cpuacct.usage"),
           let parent = Self.parent("cpuacct", mountRoot: mountRoot) {
            parents["cpuacct"] = parent
        }
        self.parents = parents
    }

    /// `<mount>/<this process's cgroup>/sluice` for `controller`, created; nil when the
    /// controller is not mounted or the directory cannot be made.
    private static func parent(_ controller: String, mountRoot: String) -> String? {
        let mount = "\(mountRoot)/\(controller)"
        guard CgroupFiles.exists("\(mount)/cgroup.procs"),
              let own = CgroupFiles.ownPath(controller: controller) else { return nil }
        let parent = mount + (own == "/" ? "" : own) + "/sluice"
        guard (try? CgroupFiles.makeDirectory(parent)) != nil else { return nil }
        return parent
    }

    func makeGroup(jobId: String, limits: JobLimits) throws -> any ResourceGroup {
        var dirs: [String: String] = [:]
        for (controller, parent) in parents {
            let dir = "\(parent)/\(jobId)"
            try CgroupFiles.makeDirectory(dir)
            dirs[controller] = dir
        }
        do {
            return CgroupV1Group(directories: dirs, limitsInForce: try CgroupV1Group.apply(limits, to: dirs))
        } catch {
            CgroupV1Group(directories: dirs, limitsInForce: []).remove()
            throw error
        }
    }

    func removeLeftovers(of jobId: String) {
        for parent in parents.values where CgroupFiles.exists("\(parent)/\(jobId)/cgroup.procs") {
            CgroupFiles.killAll(listedIn: "\(parent)/\(jobId)/cgroup.procs")
            CgroupFiles.removeDirectory("\(parent)/\(jobId)")
        }
    }
}

struct CgroupV1Group: ResourceGroup {
    /// Controller name to this job's directory in it.
    let directories: [String: String]
    let limitsInForce: [String]

    var procsFiles: [String] { directories.values.sorted().map { "\($0)/cgroup.procs" } }

    /// Writes the limits; returns one configure-log line per limit.
    static func apply(_ limits: JobLimits, to directories: [String: String]) throws -> [String] {
        var limitsInForce: [String] = []
        if let memory = directories["memory"] {
            try CgroupFiles.write(String(limits.memoryBytes), to: "\(memory)/memory.limit_in_bytes")
            let memsw = "\(memory)/memory.memsw.limit_in_bytes"
            if CgroupFiles.exists(memsw) {
                try CgroupFiles.write(String(limits.memoryBytes), to: memsw)
                limitsInForce.append("memory: \(limits.memoryBytes) bytes, no swap beyond it (cgroup v1 memory+memsw)")
            } else {
                // Without swap accounting the best we can do is ask the kernel not to swap.
                try? CgroupFiles.write("0", to: "\(memory)/memory.swappiness")
                limitsInForce.append("memory: \(limits.memoryBytes) bytes (cgroup v1; swap accounting is off, swappiness 0)")
            }
        }
        if let pids = directories["pids"] {
            let max = limits.maxProcesses + BubblewrapArguments.monitorProcesses
            try CgroupFiles.write(String(max), to: "\(pids)/pids.max")
            limitsInForce.append("processes: \(limits.maxProcesses) (+\(BubblewrapArguments.monitorProcesses) for the sandbox monitor; cgroup v1 pids)")
        }
        if let cpu = directories["cpu"] {
            let period = 100_000
            let quota = max(1_000, Int(limits.cpus * Double(period)))
            try CgroupFiles.write(String(period), to: "\(cpu)/cpu.cfs_period_us")
            try CgroupFiles.write(String(quota), to: "\(cpu)/cpu.cfs_quota_us")
            limitsInForce.append("cpu: \(limits.cpus) cores (cgroup v1 cfs quota \(quota)/\(period) us)")
        }
        return limitsInForce
    }

    func outOfMemoryKills() -> Int {
        guard let memory = directories["memory"],
              let text = CgroupFiles.read("\(memory)/memory.oom_control") else { return 0 }
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("oom_kill ") {
            return Int(line.dropFirst("oom_kill ".count)) ?? 0
        }
        return 0
    }

    /// `cpuacct.usage`, in nanoseconds.
    func cpuSeconds() -> Double? {
        guard let directory = directories["cpuacct"] ?? directories["cpu"],
              let text = CgroupFiles.read("\(directory)/cpuacct.usage"),
              let nanoseconds = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return nanoseconds / 1e9
    }

    func peakMemoryBytes() -> Int64? {
        guard let memory = directories["memory"] else { return nil }
        return CgroupFiles.read("\(memory)/memory.max_usage_in_bytes").flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    func killAll() {
        if let procs = procsFiles.first { CgroupFiles.killAll(listedIn: procs) }
    }

    func remove() {
        for dir in directories.values { CgroupFiles.removeDirectory(dir) }
    }
}
