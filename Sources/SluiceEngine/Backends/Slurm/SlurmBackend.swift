import Foundation
public import Logging
public import SluiceCore

/// Runs each job as a Slurm batch job through slurmrestd: environments with
/// `backend: "slurm"` name the cluster, the partition and the account jobs are submitted
/// as. The batch script runs the bubblewrap backend's sandbox on the compute node, so
/// the workspace (under the node's job directory, which the compute nodes must see at
/// the same path) and the runtimes must be shared with them.
public struct SlurmBackend: SandboxBackend {
    public static let backendName = "slurm"
    public let name = SlurmBackend.backendName
    /// Environment id to its cluster's client.
    let clients: [String: SlurmClient]
    /// A job is polled every tenth of the time it has been followed, within these bounds:
    /// the node adds at most about 10% to what Slurm takes, and a long job costs slurmrestd
    /// one call per `maximumPollInterval`.
    let minimumPollInterval: Duration
    let maximumPollInterval: Duration
    /// Failed polls in a row after which a job's cluster counts as gone.
    let unreachablePolls: Int
    let diskCheckInterval: Duration
    let logger: Logger

    public init(environments: [ComputeEnvironment], logger: Logger = Logger(label: "sluice.engine.slurm"),
                minimumPollInterval: Duration = .milliseconds(100), maximumPollInterval: Duration = .seconds(2),
                unreachablePolls: Int = 60,
                diskCheckInterval: Duration = .milliseconds(250)) {
        var clients: [String: SlurmClient] = [:]
        for environment in environments {
            guard let settings = environment.backend.slurm else { continue }
            clients[environment.id] = SlurmClient(settings: settings)
        }
        self.clients = clients
        self.minimumPollInterval = minimumPollInterval
        self.maximumPollInterval = maximumPollInterval
        self.unreachablePolls = unreachablePolls
        self.diskCheckInterval = diskCheckInterval
        self.logger = logger
    }

    public func verify() async throws {
        for (id, client) in clients.sorted(by: { $0.key < $1.key }) {
            let settings = client.settings
            do {
                _ = try client.token()
            } catch {
                throw EngineError.backendUnavailable("environment \(id): the Slurm token file \(settings.tokenFile) cannot be read or holds no token")
            }
            guard SlurmWorkspaceAccess.account(named: settings.user) != nil else {
                throw EngineError.backendUnavailable("environment \(id): the Slurm user \(settings.user) has no account on this host; the node hands each job's workspace to it")
            }
            do {
                try await client.ping()
            } catch let error as SlurmError {
                logger.error("slurmrestd does not answer", metadata: ["environment": "\(id)", "error": "\(error.detail)"])
                throw EngineError.backendUnavailable("environment \(id): \(error.description); start slurmrestd or fix slurm.restURL")
            }
        }
    }

    /// A ping with a short timeout: a consumer waits for it before paying for a job the
    /// cluster could not take. The error names the REST endpoint's host and port only.
    public func requireAvailable(_ environment: ComputeEnvironment) async throws(RequestError) {
        guard let client = clients[environment.id] else { return }
        do {
            try await SlurmClient(settings: client.settings, timeout: .seconds(3)).ping()
        } catch {
            throw RequestError(.unavailable, "the Slurm cluster of environment \"\(environment.id)\" at \(client.endpoint) does not answer; try again later",
                               field: "environment")
        }
    }

    /// Batch jobs of the jobs a previous run cut short, and that the engine does not follow
    /// again (`resume`: the ones whose Slurm id was stored), are cancelled, found by name:
    /// the node died between the submit and storing the id. Those jobs run again from
    /// scratch.
    public func removeLeftovers(of jobIds: [String]) async {
        guard !jobIds.isEmpty else { return }
        let names = Set(jobIds.map(SlurmBatchJob.jobName))
        for client in clients.values {
            do {
                for job in try await client.jobs() where job.name.map({ names.contains($0) }) == true {
                    let phase = SlurmStateMapping.phase(of: SlurmJobState(job.job_state), exitStatus: 0, reason: nil, killedBecause: nil)
                    guard let id = job.job_id, !phase.hasEnded else { continue }
                    try await client.cancel(id)
                    logger.notice("cancelled a leftover Slurm job", metadata: ["slurmJob": "\(id)"])
                }
            } catch let error as SlurmError {
                logger.error("cannot cancel leftover Slurm jobs", metadata: ["endpoint": "\(client.endpoint)", "error": "\(error.detail)"])
            } catch {
                logger.error("cannot cancel leftover Slurm jobs", metadata: ["endpoint": "\(client.endpoint)"])
            }
        }
    }

    /// The environment's runtime directory (as bubblewrap checks it), for its cluster.
    public func prepareImage(_ container: ContainerSection, command: [String], environment: ComputeEnvironment,
                             log: LogFile) async throws -> SandboxImage {
        let directory = try BubblewrapBackend.runtimeDirectory(for: container, command: command, environment: environment, log: log)
        return .clusterRuntime(ClusterRuntime(directory: directory, environment: environment.id))
    }
}
