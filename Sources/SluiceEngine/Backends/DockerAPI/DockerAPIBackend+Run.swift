import AsyncHTTPClient
import Foundation
import SluiceCore

extension DockerAPIBackend {
    public func run(_ request: SandboxRequest, configureLog: LogFile) async throws -> SandboxOutcome {
        guard case .container(let image) = request.image else { throw DockerRunError.notAContainerImage }
        let client = image.lease.client
        let limits = request.limits
        let engine = try await client.version()
        let profilePath = try SeccompProfile.write(into: request.workspace)
        let base = ContainerSpec.body(request, image: image, nodeMarker: nodeMarker, maxJobs: totalJobs)
        let name = "sluice-\(request.jobId)"
        let deadline = ContainerSpec.engineDeadline(wallTimeSeconds: limits.wallTimeSeconds)
        // podman keeps the deadline itself (conmon); other engines get it inside the container.
        let deadlineKeeper: ContainerSpec.DeadlineKeeper = engine.hasLibpodTimeout ? .engine : .container
        let body = deadlineKeeper == .engine ? base : ContainerSpec.withEngineLimits(
            base, seccompOption: try SeccompProfile.securityOption(engineIsPodman: engine.isPodman, profilePath: profilePath),
            wallTimeSeconds: limits.wallTimeSeconds)
        logLimits(body, limits: limits, image: image, deadlineKeeper: deadlineKeeper, to: configureLog)

        let containerId: String
        do {
            switch deadlineKeeper {
            case .engine:
                containerId = try await client.createLibpodContainer(
                    LibpodCreateBody(compatible: base, name: name, seccompProfilePath: profilePath, timeoutSeconds: deadline))
            case .container:
                containerId = try await client.createContainer(name: name, body)
            }
        } catch let error as DockerAPIError {
            logger.error("cannot create a container", metadata: ["jobId": "\(request.jobId)", "error": "\(error): \(error.detail)"])
            throw error
        }
        let outcome: Result<SandboxOutcome, any Error>
        do {
            outcome = .success(try await runCreated(containerId, client: client, request: request, deadlineKeeper: deadlineKeeper))
        } catch {
            outcome = .failure(error)
        }
        // Whatever happened, the container goes before the job ends, also when this
        // task was cancelled (hence a task of its own).
        let logger = self.logger
        await Task.detached {
            do { try await client.removeContainer(containerId) } catch {
                logger.error("cannot remove a container", metadata: ["container": "\(containerId)", "error": "\(error)"])
            }
        }.value
        return try outcome.get()
    }

    private func runCreated(_ containerId: String, client: DockerClient, request: SandboxRequest,
                            deadlineKeeper: ContainerSpec.DeadlineKeeper) async throws -> SandboxOutcome {
        let limits = request.limits
        let log = try CappedLog(url: request.workspace.algorithmLog, cap: limits.algorithmLogBytes)
        // Attached before the start, so the output is read from its first byte.
        let waitTimeout = Duration.seconds(limits.wallTimeSeconds + 300)
        let attached: HTTPClientResponse.Body
        do {
            attached = try await client.attachOutput(containerId, timeout: waitTimeout)
        } catch let error as DockerAPIError where deadlineKeeper == .engine && ContainerSpec.entrypointCouldNotRun(error) {
            // podman prepares (runc create) the container to attach to it: a missing
            // program shows here, before the start.
            throw Self.entrypointRefusal(request)
        }
        let output = ContainerOutput(attached, into: log)
        let started = ContinuousClock.now
        do {
            try await client.startContainer(containerId)
        } catch let error as DockerAPIError {
            output.cancel()
            logger.warning("a container did not start", metadata: ["jobId": "\(request.jobId)", "error": "\(error): \(error.detail)"])
            if deadlineKeeper == .engine {
                if ContainerSpec.entrypointCouldNotRun(error) { throw Self.entrypointRefusal(request) }
                throw error
            }
            if case .status = error.kind {
                throw SandboxRefusal("the program \"\(ContainerSpec.deadlineProgram)\" could not be started in image \(request.container.imageReference.prefix(128)); the node runs the entrypoint under it to bound the job's time, so the image needs it (coreutils or busybox)")
            }
            throw error
        }
        let logger = self.logger
        let ending = JobKill {
            Task.detached {
                do { try await client.killContainer(containerId) } catch {
                    logger.error("cannot kill a container", metadata: ["container": "\(containerId)", "error": "\(error)"])
                }
            }
        }
        // The wall time runs from the start and does not wait for the output: a job
        // that prints without end is killed on time, and its reader stops soon after.
        let watchers = ending.watchLimits(limits, workspace: request.workspace, diskCheckInterval: diskCheckInterval)
        defer { watchers.cancel() }
        // The wait runs in a task of its own: a stop cancels this task, kills the
        // container, and still waits here until the engine says it has stopped.
        let waiter = Task.detached { try await client.waitContainer(containerId, timeout: waitTimeout) }
        let exitCode: Int
        do {
            exitCode = try await withTaskCancellationHandler {
                try await waiter.value
            } onCancel: {
                ending.kill(because: .stopped)
            }
        } catch {
            ending.kill(because: .stopped)
            output.cancel()
            throw error
        }
        let ranFor = ContinuousClock.now - started
        watchers.cancel()
        if let error = await output.finish(within: Self.outputDrainGrace) {
            logger.error("cannot read a container's output", metadata: ["jobId": "\(request.jobId)", "error": "\(error)"])
        }
        if ending.reason == nil, deadlineKeeper == .container, ContainerSpec.deadlineProgramCouldNotRun(exitCode: exitCode, firstOutput: Self.firstLine(of: request.workspace.algorithmLog)) {
            throw Self.entrypointRefusal(request)
        }
        let oomKilled = (try? await Task.detached { try await client.inspectContainer(containerId) }.value)?.State?.OOMKilled ?? false
        return classify(exitCode: exitCode, oomKilled: oomKilled, ending: ending, ranFor: ranFor, request: request)
    }

    static func entrypointRefusal(_ request: SandboxRequest) -> SandboxRefusal {
        SandboxRefusal("the entrypoint's program \"\(request.command.first?.prefix(128) ?? "")\" could not be started in image \(request.container.imageReference.prefix(128)); check that it exists there")
    }

    /// How long the output may still be read once the container has stopped.
    static let outputDrainGrace = Duration.seconds(2)

    static func firstLine(of url: URL) -> String {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return "" }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 512)) ?? Data()
        return String(decoding: head, as: UTF8.self).split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
    }

    /// Exit 137 (SIGKILL) with a memory limit set is the kernel's OOM killer: podman
    /// leaves State.OOMKilled false, so the code decides. The node's own kills (stop,
    /// timeout, disk) were recorded before they were sent.
    /// A SIGKILL at or past the wall time is the container's own deadline
    /// (`ContainerSpec.withEngineLimits`) when the node's kill did not come first; podman
    /// reports its conmon's timeout kill (`LibpodCreateBody.timeout`) as exit -1.
    func classify(exitCode: Int, oomKilled: Bool, ending: JobKill, ranFor: Duration, request: SandboxRequest) -> SandboxOutcome {
        if let reason = ending.reason { return reason }
        let killed = exitCode == 128 + Int(SIGKILL) || exitCode == -1
        if killed, ranFor >= .seconds(request.limits.wallTimeSeconds) { return .exceeded(.wallTime) }
        if oomKilled || (exitCode == 128 + Int(SIGKILL) && request.limits.memoryBytes > 0) { return .exceeded(.memory) }
        let fileTooLarge = exitCode == 128 + Int(SIGXFSZ)
        if fileTooLarge || DiskWatch.usage(of: request.workspace) > request.limits.diskBytes { return .exceeded(.disk) }
        return .exited(code: Int32(truncatingIfNeeded: exitCode))
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

enum DockerRunError: Error, CustomStringConvertible {
    case notAContainerImage

    var description: String { "the docker backend was given a runtime directory instead of a container image" }
}
