import Foundation

/// The command line of a sandboxed run:
///
///     /bin/sh -c LAUNCHER sh <cgroup files> <ulimits> [setpriv ...] bwrap ... -- command
///
/// The launcher shell moves itself into the job's cgroups and sets its rlimits before
/// exec'ing anything, so no process of the job ever runs outside its limits; setpriv
/// drops root for the sandbox uid; bwrap builds a minimal read-only root holding only
/// /usr, this job's workspace parts and its runtime.
enum BubblewrapArguments {
    /// Processes of the sandbox machinery inside the job's pids limit (bwrap and its
    /// pid-namespace init), added on top of the environment's maxProcesses.
    static let monitorProcesses = 2

    /// $1 = count of cgroup.procs files, then the files; then a count of ulimit
    /// option pairs, then the pairs; then the command to exec.
    static let launcherScript = """
        n=$1; shift
        while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 120; shift; n=$((n-1)); done
        n=$1; shift
        while [ "$n" -gt 0 ]; do ulimit "$1" "$2" || exit 121; shift 2; n=$((n-1)); done
        exec "$@"
        """

    struct Tools: Sendable {
        var shell = "/bin/sh"
        var bwrap = "/usr/bin/bwrap"
        var setpriv = "/usr/bin/setpriv"
    }

    static func launcher(tools: Tools, procsFiles: [String], ulimits: [(String, String)],
                         user: SandboxUser, bwrap bwrapArguments: [String]) -> [String] {
        var args = ["-c", launcherScript, "sh", String(procsFiles.count)] + procsFiles
        args.append(String(ulimits.count))
        for (option, value) in ulimits { args += [option, value] }
        if let uid = user.uid {
            args += [tools.setpriv, "--reuid=\(uid)", "--regid=\(user.gid)", "--clear-groups", "--no-new-privs",
                     "--inh-caps=-all"]
        }
        args.append(tools.bwrap)
        return args + bwrapArguments
    }

    static func bwrap(_ request: SandboxRequest, runtime: String) -> [String] {
        let ws = request.workspace
        let user = request.user
        var args = [
            "--unshare-all", "--unshare-user", "--disable-userns",
            "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--uid", String(user.uid ?? getuid()), "--gid", String(user.gid),
            "--hostname", "sandbox", "--clearenv",
            "--ro-bind", "/usr", "/usr",
            // The host's own installs stay out: only Debian's /usr, the runtime and the workspace.
            "--size", "4096", "--tmpfs", "/usr/local", "--remount-ro", "/usr/local",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
            "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
            "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
            "--proc", "/proc", "--dev", "/dev",
            // /tmp lives in memory: never larger than the job's memory, even under rlimits.
            "--size", String(request.limits.memoryBytes), "--tmpfs", "/tmp",
            "--ro-bind", runtime, "/opt/runtime",
            "--ro-bind", ws.inputs.path, "/data/inputs",
            "--ro-bind", ws.ddos.path, "/data/ddos",
            "--ro-bind", ws.transformations.path, "/data/transformations",
            "--bind", ws.outputs.path, "/data/outputs",
            "--bind", ws.logs.path, "/data/logs",
        ]
        for (name, value) in request.environment.sorted(by: { $0.key < $1.key }) {
            args += ["--setenv", name, value]
        }
        args += ["--setenv", "PATH", "/opt/runtime/bin:/usr/bin:/bin", "--setenv", "HOME", "/tmp"]
        args += ["--remount-ro", "/", "--chdir", "/data/outputs", "--"]
        return args + request.command
    }
}
