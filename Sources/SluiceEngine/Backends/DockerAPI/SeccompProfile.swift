import Foundation

/// The container's seccomp filter: everything the engine's default allows stays allowed
/// except what makes namespaces, so an algorithm cannot gain uid 0 and capabilities in a
/// user namespace of its own (`unshare -r`), nor enter another process's namespaces.
/// It replaces the engine's default profile, so it also refuses the kernel interfaces
/// an unprivileged job has no use for and that have a history of exploits.
enum SeccompProfile {
    /// The CLONE_NEW* flags of clone(2): user, mount, cgroup, UTS, IPC, PID, network.
    static let namespaceFlags: [UInt64] = [0x1000_0000, 0x0002_0000, 0x0200_0000, 0x0400_0000,
                                           0x0800_0000, 0x2000_0000, 0x4000_0000]
    /// Refused outright (EPERM).
    static let refused = [
        "unshare", "setns",
        "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
        "io_uring_setup", "io_uring_enter", "io_uring_register",
        "mount", "umount", "umount2", "pivot_root", "chroot", "open_by_handle_at", "name_to_handle_at",
        "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
        "acct", "swapon", "swapoff", "reboot", "syslog", "quotactl", "lookup_dcookie", "fanotify_init",
        "iopl", "ioperm", "vm86", "vm86old", "process_vm_readv", "process_vm_writev",
    ]

    struct Document: Encodable {
        struct Rule: Encodable {
            struct Argument: Encodable {
                var index: Int
                var value: UInt64
                var valueTwo: UInt64
                var op: String
            }

            var names: [String]
            var action = "SCMP_ACT_ERRNO"
            var errnoRet: Int
            var args: [Argument]?
        }

        var defaultAction = "SCMP_ACT_ALLOW"
        var syscalls: [Rule]
    }

    static var document: Document {
        var rules = [Document.Rule(names: refused, errnoRet: Int(EPERM))]
        // One rule per flag: a rule's conditions all have to hold, separate rules add up.
        for flag in namespaceFlags {
            rules.append(.init(names: ["clone"], errnoRet: Int(EPERM),
                               args: [.init(index: 0, value: flag, valueTwo: flag, op: "SCMP_CMP_MASKED_EQ")]))
        }
        // clone3 passes its flags in memory, where seccomp cannot look: ENOSYS makes the
        // C library fall back to clone, whose flags the rules above see.
        rules.append(.init(names: ["clone3"], errnoRet: Int(ENOSYS)))
        return Document(syscalls: rules)
    }

    static func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(document)
    }

    /// The `SecurityOpt` entry: podman's compatible API reads `seccomp=` as a path on the
    /// engine's host (checked on podman 4.3), Docker's as the profile itself. The path is
    /// in the job's directory, which the engine already sees at the node's path.
    static func securityOption(engineIsPodman: Bool, profilePath: String) throws -> String {
        engineIsPodman ? "seccomp=\(profilePath)" : "seccomp=" + String(decoding: try json(), as: UTF8.self)
    }

    /// Writes the profile next to the job's workspace directories (not mounted into the
    /// container, so the job cannot change it) and returns its path.
    static func write(into workspace: Workspace) throws -> String {
        let url = workspace.root.appendingPathComponent("seccomp.json")
        try json().write(to: url, options: .atomic)
        chmod(url.path, 0o644)
        return url.path
    }
}
