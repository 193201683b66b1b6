/// podman's own create body (libpod's SpecGenerator, `POST /v4.0.0/libpod/containers/create`).
///
/// Why: it has `timeout`, which the compatible API lacks: conmon, podman's per-container
/// monitor, kills the container that many seconds after it started, whether or not the
/// node is still there, and the image needs nothing for it. Everything else is the
/// compatible body (`ContainerSpec.body`) translated field by field, so both paths run
/// the same container; checked on podman 4.3 by comparing the inspect output and what a
/// container sees (mounts, capabilities, seccomp, rlimits, cgroup limits) of the two.
struct LibpodCreateBody: Encodable, Sendable, Equatable {
    struct Namespace: Encodable, Sendable, Equatable {
        var nsmode: String
    }

    struct Mount: Encodable, Sendable, Equatable {
        var destination: String
        var type: String
        var source: String
        var options: [String]
    }

    struct Resources: Encodable, Sendable, Equatable {
        struct Memory: Encodable, Sendable, Equatable {
            var limit: Int64
            var swap: Int64
        }

        struct CPU: Encodable, Sendable, Equatable {
            var quota: Int64
            var period: UInt64
        }

        struct Pids: Encodable, Sendable, Equatable {
            var limit: Int64
        }

        var memory: Memory
        var cpu: CPU
        var pids: Pids
    }

    struct Rlimit: Encodable, Sendable, Equatable {
        var type: String
        var soft: Int64
        var hard: Int64
    }

    struct LogConfiguration: Encodable, Sendable, Equatable {
        var driver: String
    }

    var name: String
    var image: String
    var entrypoint: [String]
    var command: [String]
    var env: [String: String]
    var user: String
    var work_dir: String
    var hostname: String
    var labels: [String: String]
    var terminal = false
    var stdin = false
    var netns: Namespace
    var ipcns: Namespace
    var read_only_filesystem: Bool
    var mounts: [Mount]
    var resource_limits: Resources
    var cap_drop: [String]
    var privileged: Bool
    var no_new_privileges: Bool
    var seccomp_profile_path: String
    var r_limits: [Rlimit]
    var log_configuration: LogConfiguration
    /// Seconds from the start after which conmon kills the container.
    var timeout: UInt

    /// The CFS period the compatible API turns NanoCpus into.
    static let cpuPeriod: UInt64 = 100_000

    /// The tmpfs mounts podman's compatible API adds to a read-only container (its
    /// `read_only_tmpfs` default, applied above the SpecGenerator): /tmp is the body's own.
    static let readOnlyTmpfs = ["/run", "/var/tmp"]

    init(compatible body: ContainerCreateBody, name: String, seccompProfilePath: String, timeoutSeconds: Int) {
        let host = body.HostConfig
        self.name = name
        image = body.Image
        entrypoint = body.Entrypoint
        command = body.Cmd
        var env: [String: String] = [:]
        for entry in body.Env {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first, !key.isEmpty else { continue }
            env[String(key)] = parts.count > 1 ? String(parts[1]) : ""
        }
        self.env = env
        user = body.User
        work_dir = body.WorkingDir
        hostname = body.Hostname
        labels = body.Labels
        netns = .init(nsmode: host.NetworkMode)
        ipcns = .init(nsmode: host.IpcMode)
        read_only_filesystem = host.ReadonlyRootfs
        var mounts = host.Tmpfs.sorted { $0.key < $1.key }.map {
            Mount(destination: $0.key, type: "tmpfs", source: "tmpfs", options: $0.value.split(separator: ",").map(String.init))
        }
        if host.ReadonlyRootfs {
            for path in Self.readOnlyTmpfs where host.Tmpfs[path] == nil {
                mounts.append(Mount(destination: path, type: "tmpfs", source: "tmpfs", options: ["rw", "nosuid", "nodev"]))
            }
        }
        mounts += host.Binds.compactMap(Self.bindMount)
        self.mounts = mounts
        resource_limits = .init(
            memory: .init(limit: host.Memory, swap: host.MemorySwap),
            cpu: .init(quota: host.NanoCpus * Int64(Self.cpuPeriod) / 1_000_000_000, period: Self.cpuPeriod),
            pids: .init(limit: host.PidsLimit))
        cap_drop = host.CapDrop
        privileged = host.Privileged
        no_new_privileges = host.SecurityOpt.contains("no-new-privileges")
        seccomp_profile_path = seccompProfilePath
        r_limits = host.Ulimits.map { Rlimit(type: $0.Name, soft: $0.Soft, hard: $0.Hard) }
        log_configuration = .init(driver: host.LogConfig.Type)
        timeout = UInt(max(timeoutSeconds, 1))
    }

    /// `source:destination:mode` (the compatible API's form) as a bind mount. The source
    /// may hold colons; the destination (`/data/...`) and mode never do.
    static func bindMount(_ bind: String) -> Mount? {
        var parts = bind.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, let mode = parts.popLast(), let destination = parts.popLast() else { return nil }
        return Mount(destination: destination, type: "bind", source: parts.joined(separator: ":"), options: ["rbind", mode])
    }
}
