/// What holds a container when the node is not there to: the seccomp filter (no user
/// namespaces), and a deadline the container keeps itself.
extension ContainerSpec {
    /// Seconds past the job's wall time before the container's own deadline fires: the
    /// node's kill at the wall time comes first whenever the node is alive.
    static let engineDeadlineGrace = 5
    static let deadlineProgram = "timeout"

    /// `body` with the seccomp option added and its entrypoint run under `timeout -s KILL`.
    /// The compatible APIs of Docker and podman have no run-time limit (podman's own
    /// `timeout` is only in its libpod API), so the limit runs in the container: as its
    /// pid 1, which the algorithm cannot signal away, and whose exit ends every process
    /// of the container. Needs `timeout` in the image (coreutils or busybox).
    static func withEngineLimits(_ body: ContainerCreateBody, seccompOption: String,
                                 wallTimeSeconds: Int) -> ContainerCreateBody {
        var body = body
        body.HostConfig.SecurityOpt.append(seccompOption)
        let deadline = max(wallTimeSeconds, 1) + engineDeadlineGrace
        body.Entrypoint = [deadlineProgram, "-s", "KILL", "\(deadline)"] + body.Entrypoint
        return body
    }

    /// Whether an exit is `timeout` saying it could not run the entrypoint's program
    /// (127: not found, 126: not executable), from the first line of the job's output.
    static func deadlineProgramCouldNotRun(exitCode: Int, firstOutput: String) -> Bool {
        (exitCode == 126 || exitCode == 127) && firstOutput.hasPrefix("\(deadlineProgram): failed to run command")
    }
}
