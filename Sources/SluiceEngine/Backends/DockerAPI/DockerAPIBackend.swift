import Foundation
public import Logging
public import SluiceCore

/// Runs each job as a container through a Docker Engine API (Docker, or podman's
/// compatible service): environments with `backend: "docker"` name their endpoints,
/// which share the environment's jobs, and the images they allow.
public struct DockerAPIBackend: SandboxBackend {
    public static let backendName = "docker"
    public let name = DockerAPIBackend.backendName
    /// Environment id to its endpoints.
    let pools: [String: EndpointPool]
    /// Jobs of all docker environments that may run at once (sizes the per-uid
    /// process backstop, see `ContainerSpec.ulimits`).
    let totalJobs: Int
    /// Labels this node's containers, so start-up finds its own leftovers only.
    let nodeMarker: String
    let diskCheckInterval: Duration
    let pullTimeout: Duration
    let logger: Logger

    /// `nodeMarker` must differ between nodes sharing an engine (the engine derives it
    /// from the host name and the node's job directory).
    public init(environments: [ComputeEnvironment], nodeMarker: String,
                logger: Logger = Logger(label: "sluice.engine.docker"),
                diskCheckInterval: Duration = .milliseconds(250), pullTimeout: Duration = .seconds(600)) {
        var pools: [String: EndpointPool] = [:]
        var totalJobs = 0
        for environment in environments {
            guard let docker = environment.backend.docker else { continue }
            let clients = docker.endpoints.map { DockerClient(endpoint: $0) }
            pools[environment.id] = EndpointPool(clients: clients)
            totalJobs += environment.maxJobs
        }
        self.pools = pools
        self.totalJobs = totalJobs
        self.nodeMarker = nodeMarker
        self.diskCheckInterval = diskCheckInterval
        self.pullTimeout = pullTimeout
        self.logger = logger
    }

    var allClients: [DockerClient] {
        var seen = Set<String>()
        return pools.keys.sorted().flatMap { pools[$0]?.clients ?? [] }.filter { seen.insert($0.endpoint.description).inserted }
    }

    public func verify() async throws {
        for (id, pool) in pools where pool.clients.isEmpty {
            throw EngineError.backendUnavailable("environment \(id) lists no usable dockerEndpoints")
        }
        for client in allClients {
            do {
                try await client.ping()
            } catch {
                throw EngineError.backendUnavailable("the Docker API at \(client.endpoint) does not answer; start the engine (e.g. podman system service) or fix dockerEndpoints")
            }
        }
    }

    /// The containers of these jobs (cut short), found by this node's marker and the job's label.
    public func removeLeftovers(of jobIds: [String]) async {
        await removeContainers { jobIds.contains($0) }
    }

    /// Every container with this node's marker but those of jobs another live replica
    /// holds (replicas of one node share the marker, and may share the engine).
    public func removeOrphans(sparing held: Set<String>) async {
        await removeContainers { !held.contains($0) }
    }

    private func removeContainers(where chosen: (String) -> Bool) async {
        for client in allClients {
            do {
                for container in try await client.listContainers(label: ContainerSpec.nodeLabel, value: nodeMarker)
                where chosen(container.Labels?[ContainerSpec.jobLabel] ?? "") {
                    try await client.removeContainer(container.Id)
                    logger.notice("removed a leftover container", metadata: [
                        "jobId": "\(container.Labels?[ContainerSpec.jobLabel] ?? "?")", "endpoint": "\(client.endpoint)"])
                }
            } catch {
                logger.error("cannot remove leftover containers", metadata: ["endpoint": "\(client.endpoint)", "error": "\(error)"])
            }
        }
    }
}
