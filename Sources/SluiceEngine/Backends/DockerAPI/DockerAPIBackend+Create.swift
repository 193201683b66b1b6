import Foundation
import Logging
import SluiceCore

extension DockerAPIBackend {
    /// Creates the job's container with the deadline that outlives the node: through
    /// podman's own API where the engine is podman 4+ (conmon keeps it), else through the
    /// compatible API with `timeout` as the container's pid 1. Says which, and logs the
    /// limits in force to `configure.log`.
    func createContainer(for request: SandboxRequest, image: PreparedContainerImage, client: DockerClient,
                         configureLog: LogFile) async throws -> (id: String, deadlineKeeper: ContainerSpec.DeadlineKeeper) {
        let limits = request.limits
        let engine = try await client.version()
        let profilePath = try SeccompProfile.write(into: request.workspace)
        let base = ContainerSpec.body(request, image: image, nodeMarker: nodeMarker, maxJobs: totalJobs)
        let name = "sluice-\(request.jobId)"
        let keeper: ContainerSpec.DeadlineKeeper = engine.hasLibpodTimeout ? .engine : .container
        let body = keeper == .engine ? base : ContainerSpec.withEngineLimits(
            base, seccompOption: try SeccompProfile.securityOption(engineIsPodman: engine.isPodman, profilePath: profilePath),
            wallTimeSeconds: limits.wallTimeSeconds)
        logLimits(body, limits: limits, image: image, deadlineKeeper: keeper, to: configureLog)
        do {
            switch keeper {
            case .engine:
                let deadline = ContainerSpec.engineDeadline(wallTimeSeconds: limits.wallTimeSeconds)
                let libpod = LibpodCreateBody(compatible: base, name: name, seccompProfilePath: profilePath, timeoutSeconds: deadline)
                return (try await client.createLibpodContainer(libpod), keeper)
            case .container:
                return (try await client.createContainer(name: name, body), keeper)
            }
        } catch let error as DockerAPIError {
            logger.error("cannot create a container", metadata: ["jobId": "\(request.jobId)", "error": "\(error): \(error.detail)"])
            throw error
        }
    }

    private func logLimits(_ body: ContainerCreateBody, limits: JobLimits, image: PreparedContainerImage,
                           deadlineKeeper: ContainerSpec.DeadlineKeeper, to log: LogFile) {
        let host = body.HostConfig
        log.line("limit memory: \(host.Memory) bytes, swap none (MemorySwap = Memory)")
        log.line("limit cpu: \(limits.cpus) cores (NanoCpus \(host.NanoCpus))")
        log.line("limit processes: \(host.PidsLimit) (PidsLimit)")
        log.line("limit ulimits: " + host.Ulimits.map { "\($0.Name)=\($0.Soft)" }.joined(separator: ", "))
        log.line("limit disk: \(limits.diskBytes) bytes for outputs and logs together (checked every \(diskCheckInterval), and no single file larger)")
        log.line("limit wall time: \(limits.wallTimeSeconds) s")
        log.line("limit algorithm.log: \(limits.algorithmLogBytes) bytes, then cut with a marker")
        log.line("resources used: not measured (the engine keeps no CPU or memory figures of a container that ended)")
        let deadline = ContainerSpec.engineDeadline(wallTimeSeconds: limits.wallTimeSeconds)
        switch deadlineKeeper {
        case .engine:
            log.line("limit container deadline: \(deadline) s, kept by the engine (podman's conmon, libpod timeout), also without the node")
        case .container:
            log.line("limit container deadline: \(deadline) s, kept by the container itself (timeout as its pid 1), also without the node")
        }
        log.line("sandbox: container of \(image.reference), no network, read-only root, no capabilities, no new privileges, no user namespaces (seccomp), no engine-side log, user \(body.User)")
    }
}
