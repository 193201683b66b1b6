import Foundation
import SluiceCore
@testable import SluiceEngine
import SluiceStore
import SluiceTesting
import Testing

/// The Slurm backend against the single-node Slurm of `scripts/slurm-test-env.sh`: jobs
/// run as Slurm batch jobs in the bubblewrap sandbox, as the harness's unprivileged user.
@Suite("Slurm backend on the harness", .serialized, .enabled(if: SlurmTestEnvironment.isConfigured, SlurmTestEnvironment.disabledReason))
struct SlurmBackendTests {
    @Test func aJobRunsAndEnds70WithItsOutputsAndLog() async throws {
        try await EngineHarness.with(on: .slurm) { h in
            let status = try await h.run(h.shell("echo hi > /data/outputs/a.txt; echo logged; id -u > /data/outputs/uid"))
            #expect(status.status == 70, "\(status.error ?? "") \(h.configureLog(status.jobId)) \(h.algorithmLog(status.jobId))")
            #expect(h.output(status.jobId, "a.txt") == "hi\n")
            #expect(h.algorithmLog(status.jobId).contains("logged"))
            let log = h.configureLog(status.jobId)
            #expect(log.contains("slurm: submitted as job") && log.contains("ended COMPLETED"), "\(log)")
            let uid = try #require(SlurmWorkspaceAccess.account(named: try SlurmTestEnvironment.settings().user)?.uid)
            #expect(h.output(status.jobId, "uid") == "\(uid)\n")
            // Nothing of the batch job's plumbing stays in the workspace.
            #expect(!FileManager.default.fileExists(atPath: h.workspace(status.jobId).root.appendingPathComponent(".slurm").path))
        }
    }

    @Test func aNonZeroExitEnds41WithItsCode() async throws {
        try await EngineHarness.with(on: .slurm) { h in
            let status = try await h.run(h.shell("echo partial > /data/outputs/p.txt; exit 3"))
            #expect(status.status == 41 && status.terminationReason == "algorithmFailed", "\(status.error ?? "")")
            #expect(status.exitCode == 3)
            #expect(h.output(status.jobId, "p.txt") == "partial\n")
        }
    }

    @Test func aStopCancelsTheSlurmJobAndKeepsPartialOutputs() async throws {
        try await EngineHarness.with(on: .slurm) { h in
            // A child in its own session too: Slurm's cgroup, not the node's parent death
            // signal, must take every process of the sandbox down.
            let job = try await h.engine.submit(h.shell("echo partial > /data/outputs/p.txt; (setsid sleep 121.5 &); sleep 120"))
            let wrote = try await eventually(within: 30) { h.output(job.jobId, "p.txt") != nil }
            #expect(wrote, "\(h.configureLog(job.jobId))")
            let started = ContinuousClock.now
            _ = try await h.engine.stop(id: job.jobId)
            let status = try #require(try await h.engine.waitUntilFinished(id: job.jobId))
            #expect(status.status == 7 && status.terminationReason == "stopped", "\(status.error ?? "")")
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(h.output(job.jobId, "p.txt") == "partial\n")
            let log = h.configureLog(job.jobId)
            #expect(log.contains("ended COMPLETING") || log.contains("ended CANCELLED"), "\(log)")
            #expect(try await eventually(within: 30) { SandboxProbe.processes(containing: "121.5").isEmpty })
        }
    }

    /// Slurm's own limit here is 2 minutes (whole minutes, checked every 30 s), so a job
    /// that ends as timeout a few seconds after the limit was ended by the node's own
    /// deadline. The bound leaves room for a loaded machine: tests are not timers.
    @Test func maxJobDurationEndsTheJobAsTimeoutByTheNodesDeadline() async throws {
        try await EngineHarness.with(on: .slurm, configure: { $0.maxJobDuration = 3 }) { h in
            let job = try await h.engine.submit(h.shell("sleep 120"))
            // Timed from the moment Slurm runs it: Slurm's own start takes about a second.
            let running = try await eventually(within: 30) { h.configureLog(job.jobId).contains(" runs") }
            #expect(running)
            let started = ContinuousClock.now
            let status = try #require(try await h.engine.waitUntilFinished(id: job.jobId))
            let elapsed = ContinuousClock.now - started
            #expect(status.status == 41 && status.terminationReason == "timeout", "\(status.error ?? "")")
            #expect(elapsed < .seconds(3 + 12), "\(elapsed)")
            #expect(elapsed > .seconds(2), "\(elapsed)")
        }
    }

    @Test(.enabled(if: SlurmTestEnvironment.enforcesMemory, "the harness's slurmd has no cgroups here, so nothing limits memory"))
    func memoryOverTheLimitEndsOutOfMemory() async throws {
        try await EngineHarness.with(on: .slurm) { h in
            let status = try await h.run(h.python("b = b'x' * (600 * 1024 * 1024)\nopen('/data/outputs/survived', 'w').write('yes')"))
            #expect(status.status == 41 && status.terminationReason == "outOfMemory", "\(status.error ?? "") \(h.configureLog(status.jobId))")
            #expect(h.output(status.jobId, "survived") == nil)
        }
    }

    @Test func thereIsNoNetworkInsideTheSandbox() async throws {
        let port = try SlurmTestEnvironment.settings().restURL.port
        try await EngineHarness.with(on: .slurm) { h in
            let status = try await h.run(h.python("""
                import socket
                try:
                    socket.create_connection(("127.0.0.1", \(port)), timeout=3)
                    result = "connected"
                except OSError:
                    result = "refused"
                try:
                    socket.getaddrinfo("deb.debian.org", 80)
                    result += " resolved"
                except OSError:
                    result += " unresolved"
                open("/data/outputs/net.txt", "w").write(result)
                """))
            #expect(status.status == 70, "\(status.error ?? "") \(h.algorithmLog(status.jobId))")
            #expect(h.output(status.jobId, "net.txt") == "refused unresolved")
        }
    }

    @Test func aJobSlurmRefusesEnds32WithSlurmsReason() async throws {
        try await EngineHarness.with(on: .slurm, configure: { $0.backend = .slurm((try? SlurmTestEnvironment.settings(partition: "nosuchpartition")) ?? Self.unreachable) }) { h in
            let status = try await h.run(h.shell("echo never > /data/outputs/x"))
            #expect(status.status == 32 && status.terminationReason == "algorithmProvisioningFailed")
            let error = try #require(status.error)
            #expect(error.hasPrefix("the Slurm cluster refused the job: ") && error.contains("partition"), "\(error)")
        }
    }

    static let unreachable = SlurmSettings(restURL: SlurmRESTEndpoint(host: "127.0.0.1", port: 9), tokenFile: "/nonexistent", user: "root", partition: "p")
}

/// Without a cluster: the node refuses to start on a slurmrestd that does not answer,
/// naming its host:port and never the token.
@Suite struct SlurmUnreachableTests {
    @Test func aClusterThatDoesNotAnswerStopsTheEngineNamingOnlyItsHostAndPort() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-slurm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let token = dir.appendingPathComponent("token")
        try Data("secret-jwt-value\n".utf8).write(to: token)
        let port = try closedLoopbackPort()
        let settings = SlurmSettings(restURL: SlurmRESTEndpoint(host: "127.0.0.1", port: port), tokenFile: token.path,
                                     user: "root", partition: "debug")
        let environment = ComputeEnvironment(id: "cluster", runtimes: ["shell:1": "/usr"], backend: .slurm(settings))
        let store = try SQLiteStore(path: dir.appendingPathComponent(SQLiteStore.fileName).path)
        let engine = ComputeEngine(configuration: EngineConfiguration(dataDirectory: dir.path), environments: [environment], store: store)
        let error = await #expect(throws: EngineError.self) { try await engine.start() }
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect(text.contains("the Slurm cluster at 127.0.0.1:\(port) did not answer"), "\(text)")
        #expect(!text.contains("secret-jwt-value"))
    }

    @Test(.enabled(if: SlurmTestEnvironment.isCI && !SlurmTestEnvironment.isConfigured, "runs in CI only"))
    func ciRunsTheSlurmSuite() {
        Issue.record("CI is set but SLUICE_SLURM_REST_URL is not: scripts/test.sh must start scripts/slurm-test-env.sh")
    }

    /// A loopback port nothing listens on: bound, then closed.
    func closedLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PortError.cannotBind }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    enum PortError: Error { case cannotBind }
}
