import Foundation

/// The create body of a job's container: the workspace bound per contract section 5
/// (inputs, DDOs and the algorithm read-only), no network, a read-only root with a
/// tmpfs /tmp, an unprivileged user, no capabilities, no-new-privileges, and the
/// environment's limits. Binds name host paths, so the engine must see the node's
/// workspace at the same path (a local engine, or a shared filesystem).
enum ContainerSpec {
    static let jobLabel = "org.sluice.job"
    static let nodeLabel = "org.sluice.node"
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    /// Open files per process; podman's defaults on these hosts, and plenty for algorithms.
    static let openFiles: Int64 = 1024

    static func body(_ request: SandboxRequest, image: PreparedContainerImage,
                     nodeMarker: String, maxJobs: Int) -> ContainerCreateBody {
        let ws = request.workspace
        let user = request.user
        let limits = request.limits
        var env = request.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        env.append("HOME=/tmp")
        if !image.definesPath { env.append("PATH=\(defaultPath)") }
        let uid = user.uid ?? getuid()
        return ContainerCreateBody(
            Image: image.id,
            Cmd: Array(request.command.dropFirst()),
            // The entrypoint replaces the image's own: only the consumer's command runs.
            Entrypoint: Array(request.command.prefix(1)),
            Env: env,
            User: "\(uid):\(user.gid)",
            WorkingDir: "/data/outputs",
            Labels: [jobLabel: request.jobId, nodeLabel: nodeMarker],
            HostConfig: .init(
                // /tmp lives in memory, counted in the job's memory, never larger than it.
                Tmpfs: ["/tmp": "rw,nosuid,nodev,size=\(limits.memoryBytes),mode=1777"],
                Binds: [
                    "\(ws.inputs.path):/data/inputs:ro",
                    "\(ws.ddos.path):/data/ddos:ro",
                    "\(ws.transformations.path):/data/transformations:ro",
                    "\(ws.outputs.path):/data/outputs:rw",
                    "\(ws.logs.path):/data/logs:rw",
                ],
                Memory: limits.memoryBytes,
                // Equal to Memory: no swap beyond the memory limit.
                MemorySwap: limits.memoryBytes,
                NanoCpus: Int64((limits.cpus * 1e9).rounded()),
                PidsLimit: Int64(limits.maxProcesses),
                Ulimits: ulimits(limits, maxJobs: maxJobs)))
    }

    /// Setting any ulimit replaces the engine's defaults, so nofile and nproc are always
    /// both given. RLIMIT_NPROC counts every process of the uid on the host, which all
    /// jobs share: it is a backstop sized for the environment's jobs together, while
    /// PidsLimit holds each job. fsize stops a single file at the disk quota.
    static func ulimits(_ limits: JobLimits, maxJobs: Int) -> [ContainerCreateBody.Ulimit] {
        let processes = max(Int64(limits.maxProcesses) * Int64(max(maxJobs, 1)) + 64, 1024)
        let fileSize = max(limits.diskBytes, 4096)
        return [
            .init(Name: "nofile", Soft: openFiles, Hard: openFiles),
            .init(Name: "nproc", Soft: processes, Hard: processes),
            .init(Name: "fsize", Soft: fileSize, Hard: fileSize),
        ]
    }
}
