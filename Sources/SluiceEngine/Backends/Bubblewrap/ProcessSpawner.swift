import Foundation

/// posix_spawn with exactly the file descriptors we choose: stdin from /dev/null,
/// stdout and stderr to `outputFD`, and every other descriptor of the node (database,
/// sockets, keys) closed, so nothing leaks into the sandbox. The child gets its own
/// process group, default signal handling and only the environment given here.
enum ProcessSpawner {
    static func spawn(_ executable: String, arguments: [String], environment: [String], outputFD: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 2)
        GlibcExtras.addCloseFrom(&actions, 3)
        // From /, so the shell's PWD (which the sandbox's pid 1 keeps in /proc/1/environ)
        // names no directory of the node.
        guard GlibcExtras.addChdir(&actions, "/") else { throw SandboxError.cannotStart(errno: ENOSYS) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw SandboxError.cannotStart(errno: rc) }
        return pid
    }
}

enum SandboxError: Error, CustomStringConvertible {
    case cannotStart(errno: Int32)
    case pipe
    case notARuntimeDirectory
    case cannotStage

    var description: String {
        switch self {
        case .cannotStart(let code): return "the node could not start the sandbox (errno \(code))"
        case .pipe: return "the node could not create the sandbox's output pipe"
        case .cannotStage: return "the node could not write the sandbox's arguments"
        case .notARuntimeDirectory: return "the bubblewrap backend was given a container image instead of a runtime directory"
        }
    }
}
