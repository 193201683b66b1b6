import Foundation
public import SluiceCore

extension BubblewrapBackend {
    /// Bubblewrap runs an image as a runtime directory of the host (the environment's
    /// `runtimes` maps `image:tag` to it); the entrypoint's program must exist there or
    /// in the host's /usr.
    public func prepareImage(_ container: ContainerSection, command: [String], environment: ComputeEnvironment,
                             log: LogFile) async throws -> SandboxImage {
        .runtimeDirectory(try Self.runtimeDirectory(for: container, command: command, environment: environment, log: log))
    }

    /// The runtime directory `container` names in `environment`, checked; shared with the
    /// Slurm backend, which runs the same sandbox on a cluster's nodes.
    static func runtimeDirectory(for container: ContainerSection, command: [String], environment: ComputeEnvironment,
                                 log: LogFile) throws -> String {
        let image = container.imageReference
        guard let directory = environment.runtimes[image] else {
            let offered = environment.runtimes.keys.sorted()
            throw SandboxRefusal("environment \(environment.id) cannot run image \"\(image.prefix(128))\"; it offers "
                + (offered.isEmpty ? "no runtimes" : offered.joined(separator: ", ")))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SandboxRefusal("the runtime of image \"\(image)\" is missing on the node; tell the node's operator")
        }
        guard SandboxUserPool.anyJob.canReach(directory) else {
            throw SandboxRefusal("the runtime of image \"\(image)\" is not readable by the sandbox user; tell the node's operator")
        }
        let runtime = URL(fileURLWithPath: directory).standardizedFileURL.path
        guard let program = command.first, Entrypoint.programExists(program, runtimeDirectory: runtime) else {
            throw SandboxRefusal("the entrypoint's program \"\(command.first?.prefix(128) ?? "")\" does not exist in runtime \(image.prefix(128))")
        }
        log.line("runtime for \(image) mounted read-only at /opt/runtime")
        return runtime
    }
}
