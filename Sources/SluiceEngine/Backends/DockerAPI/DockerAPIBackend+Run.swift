import AsyncHTTPClient
import Foundation
import Logging
import SluiceCore

extension DockerAPIBackend {
    /// The engine's API keeps no usage figures of a container once it ended: the run
    /// reports none (the configure log says so).
    public func run(_ request: SandboxRequest, configureLog: LogFile) async throws -> SandboxRun {
        guard case .container(let image) = request.image else { throw DockerRunError.notAContainerImage }
        let client = image.lease.client
        let (containerId, deadlineKeeper) = try await createContainer(for: request, image: image, client: client,
                                                                     configureLog: configureLog)
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
        return SandboxRun(try outcome.get())
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
}

enum DockerRunError: Error, CustomStringConvertible {
    case notAContainerImage

    var description: String { "the docker backend was given a runtime directory instead of a container image" }
}
