public import SluiceCore
import Foundation

/// What Slurm itself takes for a batch job, submitted and followed over slurmrestd every
/// 20 ms: the floor `make bench` sets the backend's figures beside.
public enum SlurmFloor {
    /// What the floor's batch job runs.
    public enum Job: Sendable {
        /// `/bin/true`.
        case noOp
        /// `/bin/true` in bwrap with the sandbox's namespaces (a user namespace inside
        /// which no other may be made, pid, net, ipc, uts, cgroup), without a workspace:
        /// what the sandbox itself costs on the cluster.
        case sandboxedNoOp
    }

    /// Submit-to-COMPLETED of each of `count` jobs, one after the other, in seconds.
    public static func sequential(_ count: Int, _ job: Job = .noOp, settings: SlurmSettings, directory: String) async throws -> [Double] {
        let client = SlurmClient(settings: settings)
        var times: [Double] = []
        for _ in 0..<count {
            let start = ContinuousClock.now
            let id = try await client.submit(body(job, settings: settings, directory: directory))
            try await waitForEnd(id, client: client)
            times.append(seconds(ContinuousClock.now - start))
        }
        return times
    }

    /// Seconds from submitting `count` jobs at once to the last one's end.
    public static func atOnce(_ count: Int, _ job: Job = .noOp, settings: SlurmSettings, directory: String) async throws -> Double {
        let client = SlurmClient(settings: settings)
        let start = ContinuousClock.now
        var ids: [Int] = []
        for _ in 0..<count { ids.append(try await client.submit(body(job, settings: settings, directory: directory))) }
        for id in ids { try await waitForEnd(id, client: client) }
        return seconds(ContinuousClock.now - start)
    }

    private static func waitForEnd(_ id: Int, client: SlurmClient) async throws {
        while true {
            let info = try await client.job(id)
            if SlurmStateMapping.phase(of: SlurmJobState(info.job_state), exitStatus: info.exit_code ?? 0, reason: nil,
                                       killedBecause: nil).hasEnded { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private static func body(_ job: Job, settings: SlurmSettings, directory: String) -> SlurmSubmitBody {
        let command = switch job {
        case .noOp: "/bin/true"
        case .sandboxedNoOp:
            "/usr/bin/bwrap --unshare-all --unshare-user --disable-userns --die-with-parent --new-session --cap-drop ALL "
                + "--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 "
                + "--proc /proc --dev /dev /usr/bin/true"
        }
        return SlurmSubmitBody(script: "#!/bin/sh\nexec \(command)\n", job: SlurmJobProperties(
            name: "sluice-bench-floor", partition: settings.partition, account: settings.account, qos: settings.qos,
            current_working_directory: directory, environment: SlurmBatchJob.environment,
            standard_output: "/dev/null", standard_error: "/dev/null", time_limit: 1, memory_per_node: 64, cpus_per_task: 1))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
