/// What holds a container when the node is not there to: the seccomp filter (no user
/// namespaces), and a deadline that holds without the node: kept by podman itself where
/// it can (`LibpodCreateBody`), else by the container (`withEngineLimits`).
extension ContainerSpec {
    /// Seconds past the job's wall time before the container's own deadline fires: the
    /// node's kill at the wall time comes first whenever the node is alive.
    static let engineDeadlineGrace = 5
    static let deadlineProgram = "timeout"

    /// Who keeps the deadline that outlives the node: podman's engine (libpod's
    /// `timeout`, `LibpodCreateBody`) where it can, else the container's pid 1.
    enum DeadlineKeeper: Sendable, Equatable {
        case engine
        case container
    }

    static func engineDeadline(wallTimeSeconds: Int) -> Int { max(wallTimeSeconds, 1) + engineDeadlineGrace }

    /// `body` with the seccomp option added and its entrypoint run under `timeout -s KILL`:
    /// the fallback for engines other than podman 4+. The compatible APIs of Docker and
    /// podman have no run-time limit (podman's own `timeout` is only in its libpod API,
    /// used where there is one), so the limit runs in the container: as its
    /// pid 1, which the algorithm cannot signal away, and whose exit ends every process
    /// of the container. Needs `timeout` in the image (coreutils or busybox).
    static func withEngineLimits(_ body: ContainerCreateBody, seccompOption: String,
                                 wallTimeSeconds: Int) -> ContainerCreateBody {
        var body = body
        body.HostConfig.SecurityOpt.append(seccompOption)
        let deadline = engineDeadline(wallTimeSeconds: wallTimeSeconds)
        body.Entrypoint = [deadlineProgram, "-s", "KILL", "\(deadline)"] + body.Entrypoint
        return body
    }

    /// Whether podman refused to create or start a container because its entrypoint's
    /// program is missing or not executable (its ErrOCIRuntimeNotFound and
    /// ErrOCIRuntimePermissionDenied), rather than for a fault of the engine or node.
    static func entrypointCouldNotRun(_ error: DockerAPIError) -> Bool {
        guard case .status = error.kind else { return false }
        return ["executable file not found", "OCI runtime attempted to invoke a command that was not found",
                "OCI permission denied"].contains { error.detail.contains($0) }
    }

    /// Whether an exit is `timeout` saying it could not run the entrypoint's program
    /// (127: not found, 126: not executable), from the first line of the job's output.
    static func deadlineProgramCouldNotRun(exitCode: Int, firstOutput: String) -> Bool {
        (exitCode == 126 || exitCode == 127) && firstOutput.hasPrefix("\(deadlineProgram): failed to run command")
    }
}
