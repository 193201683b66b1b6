import Foundation
public import Logging
import SluiceCore

/// Runs algorithms with bubblewrap: no network, every namespace unshared, no
/// capabilities, an unprivileged uid, cgroup limits (v2 or v1, rlimits as a last
/// resort), a disk quota watched on outputs and logs, and a wall-time limit.
public struct BubblewrapBackend: SandboxBackend {
    public let name = "bubblewrap"
    let tools: BubblewrapArguments.Tools
    let groups: (any ResourceGroupFactory)?
    /// How often outputs and logs are measured against the disk quota.
    let diskCheckInterval: Duration
    let logger: Logger

    public init(logger: Logger = Logger(label: "sluice.engine.bubblewrap"), diskCheckInterval: Duration = .milliseconds(250)) {
        self.init(logger: logger, diskCheckInterval: diskCheckInterval, groups: ResourceGroups.detect())
    }

    /// `groups` nil forces the rlimit fallback (for tests of hosts without cgroups).
    init(logger: Logger, diskCheckInterval: Duration, groups: (any ResourceGroupFactory)?) {
        self.tools = .init()
        self.groups = groups
        self.diskCheckInterval = diskCheckInterval
        self.logger = logger
    }

    /// "cgroup v1", "cgroup v2" or "rlimits": how this host limits jobs.
    public var limitMechanism: String { groups?.name ?? "rlimits" }

    public func verify() async throws {
        var tools = [(tools.shell, "dash"), (tools.bwrap, "bubblewrap"), (self.tools.unshare, "util-linux"),
                     (self.tools.mount, "mount")]
        if SandboxUserPool.separatesJobs { tools.append((self.tools.setpriv, "util-linux")) }
        for (path, package) in tools where !FileManager.default.isExecutableFile(atPath: path) {
            throw EngineError.backendUnavailable("\(path) is missing; install Debian's \(package)")
        }
    }

    public func removeLeftovers(of jobIds: [String]) async {
        for id in jobIds { groups?.removeLeftovers(of: id) }
    }

    public func run(_ request: SandboxRequest, configureLog: LogFile) async throws -> SandboxRun {
        guard case .runtimeDirectory(let runtime) = request.image else { throw SandboxError.notARuntimeDirectory }
        let limits = request.limits
        var group: (any ResourceGroup)?
        if let groups {
            do {
                group = try groups.makeGroup(jobId: request.jobId, limits: limits)
            } catch {
                logger.warning("cannot create the job's cgroup, using rlimits", metadata: ["jobId": "\(request.jobId)", "error": "\(error)"])
            }
        }
        defer { group?.remove() }
        var ulimits: [(String, String)] = [("-f", String(max(limits.diskBytes / 512, 1)))]
        if let group {
            group.limitsInForce.forEach { configureLog.line("limit \($0)") }
        } else {
            ulimits += RlimitFallback.ulimitOptions(limits)
            RlimitFallback.limitsInForce(limits).forEach { configureLog.line("limit \($0)") }
        }
        configureLog.line("limit disk: \(limits.diskBytes) bytes for outputs and logs together (checked every \(diskCheckInterval), and no single file larger)")
        configureLog.line("limit wall time: \(limits.wallTimeSeconds) s")
        configureLog.line("limit algorithm.log: \(limits.algorithmLogBytes) bytes, then cut with a marker")
        configureLog.line("sandbox: bubblewrap, no network, all namespaces unshared, no capabilities, uid \(request.user.uid ?? getuid())\(request.user.uid == nil ? "" : " (this job's own)")")
        configureLog.line("resources used: \(group == nil ? "not measured (no cgroup)" : "CPU time and peak memory from the job's cgroup")")

        let log = try CappedLog(url: request.workspace.algorithmLog, cap: limits.algorithmLogBytes)
        try WorkspaceMounts.writeArguments(BubblewrapArguments.bwrap(request), for: request.workspace)
        // The mounts live in the job's mount namespace only; the directory they were on goes.
        defer { WorkspaceMounts.remove(for: request.workspace) }
        guard let output = GlibcExtras.closeOnExecPipe() else { throw SandboxError.pipe }
        let arguments = BubblewrapArguments.launcher(
            tools: tools, procsFiles: group?.procsFiles ?? [], ulimits: ulimits, user: request.user,
            workspace: request.workspace, runtime: runtime, asRoot: getuid() == 0, command: request.command)
        let pid: pid_t
        do {
            pid = try ProcessSpawner.spawn(tools.shell, arguments: arguments,
                                           environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], outputFD: output.write)
        } catch {
            close(output.read)
            close(output.write)
            throw error
        }
        close(output.write)
        let process = SandboxProcess(pid: pid)
        let cgroup = group
        let ending = JobKill {
            process.kill()
            // Emptying the cgroup may take a few rounds against a fork bomb: never on the
            // caller's thread, which may be the engine's (a stop cancels from there).
            if let cgroup { DispatchQueue.global().async { cgroup.killAll() } }
        }
        let watchers = ending.watchLimits(limits, workspace: request.workspace, diskCheckInterval: diskCheckInterval)
        let status = await withTaskCancellationHandler {
            await process.waitForExit(outputFD: output.read, log: log)
        } onCancel: {
            ending.kill(because: .stopped)
        }
        watchers.cancel()
        // Nothing of the job may outlive it, whatever it forked.
        group?.killAll()
        // From the cgroup, which counts every process of the job, those killed with it
        // too. Without one nothing is measured: bwrap's processes are not all reaped by
        // their parents, so the launcher's rusage misses the algorithm.
        let usage = ResourceUsage(cpuSeconds: group?.cpuSeconds(), peakMemoryBytes: group?.peakMemoryBytes())
        return SandboxRun(classify(status: status, ending: ending, group: group, request: request), usage: usage)
    }

    private func classify(status: Int32, ending: JobKill, group: (any ResourceGroup)?, request: SandboxRequest) -> SandboxOutcome {
        if let reason = ending.reason { return reason }
        if (group?.outOfMemoryKills() ?? 0) > 0 { return .exceeded(.memory) }
        let signal = status & 0x7f
        let outcome: SandboxOutcome = signal != 0 ? .signaled(signal) : .exited(code: (status >> 8) & 0xff)
        return DiskWatch.judged(outcome, workspace: request.workspace, limit: request.limits.diskBytes)
    }
}
