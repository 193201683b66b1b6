import Foundation
import SluiceCore

/// The engines one environment spreads its jobs over: each job goes to the endpoint
/// with the fewest jobs holding a lease on it (ties to the earliest listed).
final class EndpointPool: @unchecked Sendable {
    let clients: [DockerClient]
    private let lock = NSLock()
    // Guarded by `lock`: leases held per endpoint.
    private var load: [Int]

    init(clients: [DockerClient]) {
        self.clients = clients
        self.load = Array(repeating: 0, count: clients.count)
    }

    /// Nil only for a pool without endpoints (a config `problems()` refuses).
    func lease() -> EndpointLease? {
        lock.withLock {
            guard let index = load.indices.min(by: { load[$0] < load[$1] }) else { return nil }
            load[index] += 1
            return EndpointLease(pool: self, index: index)
        }
    }

    fileprivate func release(_ index: Int) {
        lock.withLock { load[index] -= 1 }
    }

    var currentLoad: [Int] { lock.withLock { load } }
}

/// One job's claim on an endpoint, from image preparation to the container's removal.
/// Released when the last reference goes, so a job that fails between the two (an
/// input that cannot be fetched) does not keep counting.
public final class EndpointLease: Sendable {
    private let pool: EndpointPool
    let index: Int

    fileprivate init(pool: EndpointPool, index: Int) {
        self.pool = pool
        self.index = index
    }

    var client: DockerClient { pool.clients[index] }

    deinit { pool.release(index) }
}

/// An image checked against the environment's policy on the endpoint that will run it.
public struct PreparedContainerImage: Sendable {
    /// The engine's image id (`sha256:...`): the container runs exactly what was checked.
    public let id: String
    /// `name:tag` or `name@sha256:...`, for the logs.
    public let reference: String
    /// Whether the image sets PATH itself (if not, the backend sets Debian's default).
    let definesPath: Bool
    let lease: EndpointLease
}
