import Foundation

/// How the workspace reaches the sandbox without naming where it lives on the host.
///
/// A bind mount's root field in /proc/self/mountinfo is its path inside the source
/// filesystem, so binding `<jobsDir>/<jobId>/inputs` shows the node's directories and
/// the job id to the algorithm, however often it is re-bound. An overlay mount is a
/// filesystem of its own: its root is "/" and its options are the strings it was
/// mounted with. So, in a private mount namespace, the launcher mounts each part as an
/// overlay whose layers are named relative to the job's directory (`inputs`,
/// `.sandbox/empty`), and bwrap binds those overlays. Writes to outputs and logs go
/// straight into their upper layers, the workspace's own directories, so the node
/// reads, measures and publishes them as before.
///
/// bwrap reads its options from a file (`--args`): the sandbox's pid 1 is bwrap, and its
/// command line, readable in /proc/1/cmdline, would name every mount source otherwise.
enum WorkspaceMounts {
    /// Under the job's directory: mount points, the overlays' work directories, an
    /// empty lower layer and bwrap's arguments. Removed after the run.
    static let directory = ".sandbox"
    static let argumentsFile = "bwrap.args"
    /// The parts bwrap binds, in the stage script's order.
    static let readOnlyParts = ["inputs", "ddos", "transformations", "runtime"]
    static let writableParts = ["outputs", "logs"]

    static func mountPoint(_ part: String, in workspace: Workspace) -> String {
        workspace.root.appendingPathComponent(directory).appendingPathComponent("mnt").appendingPathComponent(part).path
    }

    /// Enters the private mount namespace the stage script mounts in. A node that is not
    /// root gets it inside a user namespace of its own, where it maps to root.
    static func unshare(asRoot: Bool, executable: String) -> [String] {
        [executable, "--mount", "--propagation", "private"] + (asRoot ? [] : ["--user", "--map-root-user"])
    }

    /// Overlays in a user namespace keep their metadata in user.* xattrs.
    static func extraOptions(asRoot: Bool) -> String { asRoot ? "" : ",userxattr" }

    /// $1 = the job's directory, $2 = the runtime directory, $3 = extra overlay options;
    /// then the command to exec, which gets bwrap's arguments file as fd 3.
    /// An overlay the filesystem refuses (no xattrs, an old kernel) falls back to a bind
    /// mount, which works everywhere but shows the host path; configure.log says so.
    /// Errors never print paths: stderr is the algorithm's log.
    static let stageScript = """
        fail() { echo "sluice: the sandbox's workspace could not be mounted" >&2; exit 122; }
        root=$1 runtime=$2 extra=$3; shift 3
        cd "$root" 2>/dev/null || fail
        s=.sandbox
        mkdir -p $s/empty $s/runtime $s/work/outputs $s/work/logs $s/mnt/inputs $s/mnt/ddos \
          $s/mnt/transformations $s/mnt/runtime $s/mnt/outputs $s/mnt/logs 2>/dev/null || fail
        mount --bind "$runtime" $s/runtime 2>/dev/null || fail
        fallback=
        part() {
          if [ -n "$3" ]; then o="lowerdir=$s/empty,upperdir=$3,workdir=$s/work/$1$extra"
          else o="ro,lowerdir=$2:$s/empty$extra"; fi
          if ! mount -t overlay sandbox -o "$o" $s/mnt/$1 2>/dev/null; then
            mount --bind "${3:-$2}" $s/mnt/$1 2>/dev/null || fail
            fallback="$fallback $1"
          fi
        }
        part inputs inputs
        part ddos ddos
        part transformations transformations
        part runtime $s/runtime
        part outputs "" outputs
        part logs "" logs
        if [ -n "$fallback" ]; then
          echo "sandbox: no overlay here, bind-mounted (their host paths show in /proc/self/mountinfo):$fallback" >> logs/configure.log
        fi
        exec 3< $s/bwrap.args || fail
        # From /, and without the directory the shell was in, so neither PWD nor OLDPWD
        # in bwrap's environment (the sandbox's /proc/1/environ) names the job.
        cd / && unset OLDPWD
        exec "$@"
        """

    /// Writes bwrap's options, NUL-separated, readable by the node only.
    static func writeArguments(_ arguments: [String], for workspace: Workspace) throws {
        let dir = workspace.root.appendingPathComponent(directory)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        chmod(dir.path, 0o711)
        var data = Data()
        for argument in arguments {
            data.append(contentsOf: Array(argument.utf8))
            data.append(0)
        }
        let file = dir.appendingPathComponent(argumentsFile)
        guard FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw SandboxError.cannotStage
        }
    }

    /// Removes the staging directory. The overlays' `work` directories are mode 000;
    /// a node that is not root must open them up before it can remove them.
    static func remove(for workspace: Workspace) {
        let dir = workspace.root.appendingPathComponent(directory)
        for part in writableParts {
            chmod(dir.appendingPathComponent("work").appendingPathComponent(part).appendingPathComponent("work").path, 0o700)
        }
        try? FileManager.default.removeItem(at: dir)
    }
}
