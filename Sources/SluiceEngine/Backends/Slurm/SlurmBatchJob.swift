import Foundation
import SluiceCore

/// A job as a Slurm batch job: the batch script runs the bubblewrap backend's own
/// launcher (`BubblewrapArguments.launcher`: private mount namespace, overlays of the
/// workspace parts, bwrap with no network and a read-only root) as the Slurm user, and
/// the job's limits become Slurm's.
enum SlurmBatchJob {
    /// Slurm's time limit is in minutes and checked every 30 s; the node enforces the
    /// environment's own limit to the second, so Slurm's is a backstop this far beyond it.
    static let timeLimitMarginMinutes = 1
    /// Under the job's directory: the batch script's output (stdout and stderr), owned
    /// by the Slurm user, copied (capped) into algorithm.log when the job ends.
    static let directory = ".slurm"
    static let outputFile = "output"
    /// Beside it: what the job's own cgroups (Slurm's task/cgroup) counted once the
    /// sandbox ended, written by the batch script out of the sandbox's reach.
    static let usageFile = "usage"
    /// The batch script's environment (bwrap clears it for the algorithm).
    static let environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]

    static func outputPath(in workspace: Workspace) -> String {
        workspace.root.appendingPathComponent(directory).appendingPathComponent(outputFile).path
    }

    static func usagePath(in workspace: Workspace) -> String {
        workspace.root.appendingPathComponent(directory).appendingPathComponent(usageFile).path
    }

    /// The Slurm job's name: how a restarted node finds its batch jobs.
    static func jobName(_ jobId: String) -> String { "sluice-\(jobId.prefix(64))" }

    /// The submit body for `request` running from `runtime` as `slurmUser`.
    static func body(for request: SandboxRequest, runtime: String, settings: SlurmSettings,
                     tools: BubblewrapArguments.Tools = .init()) -> SlurmSubmitBody {
        let limits = request.limits
        let output = outputPath(in: request.workspace)
        return SlurmSubmitBody(
            script: script(launcher(for: request, runtime: runtime, tools: tools), usageFile: usagePath(in: request.workspace)),
            job: SlurmJobProperties(
                name: jobName(request.jobId),
                partition: settings.partition, account: settings.account, qos: settings.qos,
                current_working_directory: request.workspace.root.path,
                environment: environment,
                standard_output: output, standard_error: output,
                time_limit: timeLimitMinutes(seconds: limits.wallTimeSeconds),
                memory_per_node: memoryMiB(bytes: limits.memoryBytes),
                cpus_per_task: cpus(limits.cpus)))
    }

    /// The launcher's command line, as the Slurm user: no cgroups of the node's own
    /// (Slurm's hold the job), no setpriv (the Slurm user cannot change users; bwrap
    /// maps it to `request.user` inside the sandbox), the disk rlimit.
    static func launcher(for request: SandboxRequest, runtime: String, tools: BubblewrapArguments.Tools) -> [String] {
        let ulimits = [("-f", String(max(request.limits.diskBytes / 512, 1)))]
        // `launcher` gives the shell's arguments; the shell itself is the executable.
        return [tools.shell] + BubblewrapArguments.launcher(
            tools: tools, procsFiles: [], ulimits: ulimits, user: SandboxUser(uid: nil, gid: request.user.gid),
            workspace: request.workspace, runtime: runtime, asRoot: false, command: request.command)
    }

    /// `#!/bin/sh` running `arguments` (each single-quoted), then writing to `usageFile`
    /// what the job's cgroups counted, and exiting with the launcher's status. Only the
    /// job's own cgroups count (their path names `job_<id>`): a controller Slurm leaves at
    /// the root would give the whole machine's figures. One line per file found:
    /// `memory.max_usage_in_bytes`, `cpuacct.usage` (v1), `memory.peak`, `cpu.stat` (v2).
    static func script(_ arguments: [String], usageFile: String) -> String {
        "#!/bin/sh\n" + arguments.map(shellQuoted).joined(separator: " ") + "\n" + """
            status=$?
            while IFS=: read -r _ controllers path; do
              case $path in */job_"$SLURM_JOB_ID"|*/job_"$SLURM_JOB_ID"/*) ;; *) continue ;; esac
              for file in "/sys/fs/cgroup/$controllers$path/memory.max_usage_in_bytes" "/sys/fs/cgroup/$controllers$path/cpuacct.usage" \\
                  "/sys/fs/cgroup$path/memory.peak" "/sys/fs/cgroup$path/cpu.stat"; do
                if [ -r "$file" ]; then echo "${file##*/} $(tr '\\n' ' ' <"$file")"; fi
              done
            done </proc/self/cgroup >\(shellQuoted(usageFile))
            exit $status

            """
    }

    /// What the batch script's report (see `script`) says the job used; a figure the
    /// report lacks, or that does not read as a number, is nil.
    static func usage(fromReport text: String) -> ResourceUsage {
        var usage = ResourceUsage()
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ", maxSplits: 1)
            guard words.count == 2 else { continue }
            let value = words[1].trimmingCharacters(in: .whitespaces)
            switch words[0] {
            case "memory.max_usage_in_bytes", "memory.peak":
                if let bytes = Int64(value), bytes >= 0 { usage.peakMemoryBytes = max(usage.peakMemoryBytes ?? 0, bytes) }
            case "cpuacct.usage":
                if let nanoseconds = Double(value), nanoseconds >= 0 { usage.cpuSeconds = nanoseconds / 1e9 }
            case "cpu.stat":
                if let seconds = CgroupFiles.cpuSeconds(fromCPUStat: value), seconds >= 0 { usage.cpuSeconds = seconds }
            default:
                continue
            }
        }
        return usage
    }

    /// `text` as one sh word: in single quotes, each `'` as `'\''`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// Whole minutes, rounded up, plus the margin.
    static func timeLimitMinutes(seconds: Int) -> Int {
        (max(seconds, 1) + 59) / 60 + timeLimitMarginMinutes
    }

    /// MiB, rounded up.
    static func memoryMiB(bytes: Int64) -> Int {
        Int((max(bytes, 1) + (1 << 20) - 1) >> 20)
    }

    /// Whole CPUs, rounded up: Slurm allocates cores, not fractions.
    static func cpus(_ cores: Double) -> Int {
        max(Int(cores.rounded(.up)), 1)
    }
}
