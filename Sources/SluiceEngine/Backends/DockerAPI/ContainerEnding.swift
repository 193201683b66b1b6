import Foundation

/// The first reason the node killed a container (stop, timeout, disk); later ones are
/// ignored. Killing goes through the engine, from a task of its own so that it also
/// works when the caller's task is the one being cancelled.
final class ContainerEnding: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var first: SandboxOutcome?
    private let client: DockerClient
    private let containerId: String
    private let onKillFailure: @Sendable (any Error) -> Void

    init(client: DockerClient, containerId: String, onKillFailure: @escaping @Sendable (any Error) -> Void) {
        self.client = client
        self.containerId = containerId
        self.onKillFailure = onKillFailure
    }

    var reason: SandboxOutcome? { lock.withLock { first } }

    func kill(because reason: SandboxOutcome) {
        let isFirst = lock.withLock { () -> Bool in
            if first != nil { return false }
            first = reason
            return true
        }
        guard isFirst else { return }
        let client = self.client, id = containerId, onKillFailure = self.onKillFailure
        Task.detached {
            do { try await client.killContainer(id) } catch { onKillFailure(error) }
        }
    }
}
