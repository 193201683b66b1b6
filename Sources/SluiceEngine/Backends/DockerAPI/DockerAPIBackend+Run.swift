import Foundation
import SluiceCore

extension DockerAPIBackend {
    public func run(_ request: SandboxRequest, configureLog: LogFile) async throws -> SandboxOutcome {
        guard case .container(let image) = request.image else { throw DockerRunError.notAContainerImage }
        let client = image.lease.client
        let limits = request.limits
        let body = ContainerSpec.body(request, image: image, nodeMarker: nodeMarker, maxJobs: totalJobs)
        logLimits(body, limits: limits, image: image, to: configureLog)

        let containerId: String
        do {
            containerId = try await client.createContainer(name: "sluice-\(request.jobId)", body)
        } catch let error as DockerAPIError {
            logger.error("cannot create a container", metadata: ["jobId": "\(request.jobId)", "error": "\(error): \(error.detail)"])
            throw error
        }
        let outcome: Result<SandboxOutcome, any Error>
        do {
            outcome = .success(try await runCreated(containerId, client: client, request: request))
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

    private func runCreated(_ containerId: String, client: DockerClient, request: SandboxRequest) async throws -> SandboxOutcome {
        let limits = request.limits
        do {
            try await client.startContainer(containerId)
        } catch let error as DockerAPIError {
            logger.warning("a container did not start", metadata: ["jobId": "\(request.jobId)", "error": "\(error): \(error.detail)"])
            if case .status = error.kind {
                throw SandboxRefusal("the entrypoint's program \"\(request.command.first?.prefix(128) ?? "")\" could not be started in image \(request.container.imageReference.prefix(128)); check that it exists there")
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
        let watchers = ending.watchLimits(limits, workspace: request.workspace, diskCheckInterval: diskCheckInterval)
        defer { watchers.cancel() }
        // The wait runs in a task of its own: a stop cancels this task, kills the
        // container, and still waits here until the engine says it has stopped.
        let waitTimeout = Duration.seconds(limits.wallTimeSeconds + 300)
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
            throw error
        }
        watchers.cancel()
        await copyLogs(containerId, client: client, request: request)
        let oomKilled = (try? await Task.detached { try await client.inspectContainer(containerId) }.value)?.State?.OOMKilled ?? false
        return classify(exitCode: exitCode, oomKilled: oomKilled, ending: ending, request: request)
    }

    /// Exit 137 (SIGKILL) with a memory limit set is the kernel's OOM killer: podman
    /// leaves State.OOMKilled false, so the code decides. The node's own kills (stop,
    /// timeout, disk) were recorded before they were sent.
    func classify(exitCode: Int, oomKilled: Bool, ending: JobKill, request: SandboxRequest) -> SandboxOutcome {
        if let reason = ending.reason { return reason }
        if oomKilled || (exitCode == 128 + Int(SIGKILL) && request.limits.memoryBytes > 0) { return .exceeded(.memory) }
        let fileTooLarge = exitCode == 128 + Int(SIGXFSZ)
        if fileTooLarge || DiskWatch.usage(of: request.workspace) > request.limits.diskBytes { return .exceeded(.disk) }
        return .exited(code: Int32(truncatingIfNeeded: exitCode))
    }

    /// The container's output, de-multiplexed and capped, into `algorithm.log`.
    private func copyLogs(_ containerId: String, client: DockerClient, request: SandboxRequest) async {
        do {
            let log = try CappedLog(url: request.workspace.algorithmLog, cap: request.limits.algorithmLogBytes)
            try await Task.detached {
                var demux = LogDemultiplexer { log.append($0, count: $0.count) }
                try await client.streamLogs(containerId, timeout: .seconds(120)) { demux.feed($0) }
                demux.finish()
            }.value
        } catch {
            logger.error("cannot copy a container's logs", metadata: ["jobId": "\(request.jobId)", "error": "\(error)"])
        }
    }

    private func logLimits(_ body: ContainerCreateBody, limits: JobLimits, image: PreparedContainerImage, to log: LogFile) {
        let host = body.HostConfig
        log.line("limit memory: \(host.Memory) bytes, swap none (MemorySwap = Memory)")
        log.line("limit cpu: \(limits.cpus) cores (NanoCpus \(host.NanoCpus))")
        log.line("limit processes: \(host.PidsLimit) (PidsLimit)")
        log.line("limit ulimits: " + host.Ulimits.map { "\($0.Name)=\($0.Soft)" }.joined(separator: ", "))
        log.line("limit disk: \(limits.diskBytes) bytes for outputs and logs together (checked every \(diskCheckInterval), and no single file larger)")
        log.line("limit wall time: \(limits.wallTimeSeconds) s")
        log.line("limit algorithm.log: \(limits.algorithmLogBytes) bytes, then cut with a marker")
        log.line("sandbox: container of \(image.reference), no network, read-only root, no capabilities, no new privileges, user \(body.User)")
    }
}

enum DockerRunError: Error, CustomStringConvertible {
    case notAContainerImage

    var description: String { "the docker backend was given a runtime directory instead of a container image" }
}
