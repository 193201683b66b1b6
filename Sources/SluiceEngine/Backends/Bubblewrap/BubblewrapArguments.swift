import Foundation

/// The command line of a sandboxed run:
///
///     /bin/sh -c LAUNCHER sh <cgroup files> <ulimits>
///         unshare --mount ... /bin/sh -c STAGE stage <job dir> <runtime> <options>
///         [setpriv ...] bwrap --args 3 -- command   (bwrap's options: `bwrap(_:)`)
///
/// The launcher shell moves itself into the job's cgroups and sets its rlimits before
/// exec'ing anything, so no process of the job ever runs outside its limits; the stage
/// script mounts the workspace parts in a private mount namespace (`WorkspaceMounts`);
/// setpriv drops root for the sandbox uid; bwrap builds a minimal read-only root holding
/// only /usr, this job's workspace parts and its runtime.
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
        var unshare = "/usr/bin/unshare"
        var mount = "/usr/bin/mount"
    }

    /// `asRoot`: whether the node is root (it then mounts in the host's user namespace).
    static func launcher(tools: Tools, procsFiles: [String], ulimits: [(String, String)],
                         user: SandboxUser, workspace: Workspace, runtime: String, asRoot: Bool,
                         command: [String]) -> [String] {
        var args = ["-c", launcherScript, "sh", String(procsFiles.count)] + procsFiles
        args.append(String(ulimits.count))
        for (option, value) in ulimits { args += [option, value] }
        args += WorkspaceMounts.unshare(asRoot: asRoot, executable: tools.unshare)
        args += [tools.shell, "-c", WorkspaceMounts.stageScript, "stage", workspace.root.path, runtime,
                 WorkspaceMounts.extraOptions(asRoot: asRoot)]
        if let uid = user.uid {
            args += [tools.setpriv, "--reuid=\(uid)", "--regid=\(user.gid)", "--clear-groups", "--no-new-privs",
                     "--inh-caps=-all"]
        }
        // bwrap 0.8 takes options only from --args; the command stays on its command line
        // (it names sandbox paths only: /opt/runtime, /data/...).
        return args + [tools.bwrap, "--args", "3", "--"] + command
    }

    /// bwrap's options (not the command), read from fd 3. Every source is one of the
    /// stage script's overlay mounts, never a workspace path.
    static func bwrap(_ request: SandboxRequest) -> [String] {
        let ws = request.workspace
        func staged(_ part: String) -> String { WorkspaceMounts.mountPoint(part, in: ws) }
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
            "--ro-bind", staged("runtime"), "/opt/runtime",
            "--ro-bind", staged("inputs"), "/data/inputs",
            "--ro-bind", staged("ddos"), "/data/ddos",
            "--ro-bind", staged("transformations"), "/data/transformations",
            "--bind", staged("outputs"), "/data/outputs",
            "--bind", staged("logs"), "/data/logs",
        ]
        for (name, value) in request.environment.sorted(by: { $0.key < $1.key }) {
            args += ["--setenv", name, value]
        }
        args += ["--setenv", "PATH", "/opt/runtime/bin:/usr/bin:/bin", "--setenv", "HOME", "/tmp"]
        return args + ["--remount-ro", "/", "--chdir", "/data/outputs"]
    }
}
