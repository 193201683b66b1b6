import Foundation
import SluiceCore
import Testing
@testable import SluiceEngine

/// Each "bad input and attack" of issue 3, run in every configured backend: the real
/// bubblewrap sandbox, containers on podman through the Docker API, and the bubblewrap
/// sandbox as a Slurm batch job.
@Suite("Attacks fail safely", .serialized)
struct SandboxAttackTests {
    @Test(arguments: TestBackend.configured) func connectingToTheHostsLoopbackIsRefused(_ backend: TestBackend) async throws {
        let listener = try TestServer.http(body: Array("secret".utf8))
        defer { listener.stop() }
        try await EngineHarness.with(on: backend) { h in
            let status = try await h.run(h.python("""
                import socket
                s = socket.create_connection(("127.0.0.1", \(listener.port)), timeout=3)
                print("CONNECTED", s.recv(100))
                """))
            let log = h.algorithmLog(status.jobId)
            #expect(status.status == 41 && status.terminationReason == "algorithmFailed" && status.exitCode == 1, "\(log)")
            #expect(log.contains("ConnectionRefusedError") || log.contains("Network is unreachable"), "\(log)")
            #expect(!log.contains("CONNECTED"))
            #expect(listener.connections == 0)
        }
    }

    @Test(arguments: TestBackend.configured) func resolvingAHostNameFails(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend) { h in
            let status = try await h.run(h.python("""
                import socket
                print(socket.getaddrinfo("deb.debian.org", 80))
                """))
            let log = h.algorithmLog(status.jobId)
            #expect(status.status == 41 && status.exitCode == 1, "\(log)")
            #expect(log.contains("gaierror"), "\(log)")
        }
    }

    @Test(arguments: TestBackend.configured) func hostFilesTheNodesDataAndOtherJobsAreInvisible(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend) { h in
            let first = try await h.run(h.shell("echo other-jobs-secret > /data/outputs/secret.txt"))
            #expect(first.status == 70)
            let otherWorkspace = h.workspace(first.jobId).root.path
            let database = h.dataDirectory.appendingPathComponent("sluice.sqlite").path
            // A container has an /etc/passwd of its image's own; bubblewrap shows none.
            let hostOnly = backend != .podman ? #"["/etc/passwd"]"# : "[]"
            let status = try await h.run(h.python("""
                import os
                found = []
                for path in \(hostOnly) + ["/etc/shadow", "\(database)", "\(h.dataDirectory.path)",
                             "\(otherWorkspace)/outputs/secret.txt", "/data/../jobs", "/root", "/proc/1/root/etc/shadow"]:
                    try:
                        if os.path.isdir(path):
                            found.append(path + " " + ",".join(os.listdir(path)))
                        else:
                            found.append(path + " " + open(path).read(50))
                    except OSError as e:
                        print("denied", path, type(e).__name__)
                fds = sorted(int(f) for f in os.listdir("/proc/self/fd"))
                open("/data/outputs/report.txt", "w").write(repr(found) + "\\n" + repr(fds))
                """))
            #expect(status.status == 70, "\(h.algorithmLog(status.jobId))")
            let report = h.output(status.jobId, "report.txt") ?? ""
            #expect(report.hasPrefix("[]\n"), "the algorithm reached: \(report)")
            // stdin, stdout, stderr and the descriptor listdir itself opened: no node descriptor leaked in.
            #expect(report.hasSuffix("[0, 1, 2, 3]"), "\(report)")
        }
    }

    /// Nothing in the sandbox names the node's directories or shows the host's own installs.
    @Test func theSandboxShowsNoNodeDirectoryNorUsrLocal() async throws {
        try await EngineHarness.with { h in
            let status = try await h.run(h.shell("""
                cat /proc/1/environ | tr '\\0' '\\n' > /data/outputs/environ
                ls -A /usr/local > /data/outputs/usr-local 2>&1
                touch /usr/local/x 2>/dev/null && echo writable >> /data/outputs/usr-local
                true
                """))
            #expect(status.status == 70, "\(h.algorithmLog(status.jobId))")
            let environ = h.output(status.jobId, "environ") ?? ""
            #expect(!environ.isEmpty)
            #expect(!environ.contains(FileManager.default.currentDirectoryPath), "\(environ)")
            #expect(!environ.contains(h.dataDirectory.path), "\(environ)")
            #expect(h.output(status.jobId, "usr-local") == "", "\(h.output(status.jobId, "usr-local") ?? "")")
        }
    }

    /// Issue 13: the algorithm learns no host path of the node from /proc. Bind mounts
    /// would show the workspace's host paths as their root in mountinfo, and bwrap's
    /// command line (pid 1's) would name every mount source.
    @Test func procShowsNoHostPathOfTheNode() async throws {
        try await EngineHarness.with { h in
            let status = try await h.run(h.shell("""
                cat /proc/self/mountinfo > /data/outputs/mountinfo
                tr '\\0' '\\n' < /proc/1/environ > /data/outputs/environ
                tr '\\0' '\\n' < /proc/1/cmdline > /data/outputs/cmdline
                cat /proc/self/cgroup > /data/outputs/cgroup
                """))
            #expect(status.status == 70, "\(h.algorithmLog(status.jobId))")
            let workspace = h.workspace(status.jobId)
            var hostPaths = [h.dataDirectory.path, h.dataDirectory.appendingPathComponent("jobs").path, workspace.root.path,
                             status.jobId, FileManager.default.currentDirectoryPath]
                + h.environment.runtimes.values.sorted()
            // A test run from / has "/" as its working directory: every path contains that.
            hostPaths.removeAll { $0 == "/" }
            for name in ["mountinfo", "environ", "cmdline", "cgroup"] {
                let text = h.output(status.jobId, name) ?? ""
                #expect(!text.isEmpty, "\(name) is empty")
                for line in text.split(separator: "\n") {
                    for path in hostPaths {
                        #expect(!line.contains(path), "\(name) names \(path): \(line)")
                    }
                }
            }
            let mountinfo = h.output(status.jobId, "mountinfo") ?? ""
            for target in ["/data/inputs", "/data/ddos", "/data/transformations", "/data/outputs", "/data/logs", "/opt/runtime"] {
                let line = mountinfo.split(separator: "\n").first { $0.split(separator: " ").dropFirst(4).first.map(String.init) == target }
                #expect(line?.contains(" - overlay sandbox ") == true, "\(target): \(line ?? "not mounted")")
            }
            #expect(!h.configureLog(status.jobId).contains("no overlay"), "\(h.configureLog(status.jobId))")
            // The staging directory (mount points, bwrap's options) does not outlive the run.
            #expect(!FileManager.default.fileExists(atPath: workspace.root.appendingPathComponent(WorkspaceMounts.directory).path))
        }
    }

    @Test(arguments: TestBackend.configured) func writingOutsideOutputsAndLogsFails(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend) { h in
            let status = try await h.run(h.python("""
                written = []
                for path in ["/x", "/data/x", "/data/inputs/x", "/data/ddos/x", "/data/transformations/x",
                             "/data/transformations/algorithm", "/usr/x", "/etc/x", "/opt/runtime/x", "/bin/x", "/proc/x"]:
                    try:
                        open(path, "a").write("x")
                        written.append(path)
                    except OSError:
                        pass
                open("/data/outputs/ok.txt", "w").write(repr(written))
                open("/data/logs/extra.log", "w").write("allowed")
                import os
                for name in ["configure.log", "publish.log", "algorithm.log"]:
                    try:
                        open("/data/logs/" + name, "a").write("forged")
                        written.append(name)
                    except OSError:
                        pass
                    try:
                        os.rename("/data/logs/" + name, "/data/logs/moved-" + name)
                        written.append("renamed " + name)
                    except OSError:
                        pass
                open("/data/outputs/ok.txt", "w").write(repr(written))
                """))
            #expect(status.status == 70, "\(h.algorithmLog(status.jobId))")
            #expect(h.output(status.jobId, "ok.txt") == "[]")
            #expect(!h.configureLog(status.jobId).contains("forged"))
            #expect(!h.algorithmLog(status.jobId).contains("forged"))
        }
    }

    /// Not on Slurm: every job of an environment runs as the one Slurm user, so a process
    /// limit per job is the cluster's to set (the README says so), not the node's.
    @Test(arguments: TestBackend.configured.filter { $0 != .slurm }) func aForkBombIsHeldAtThePidsLimitAndKilledAtTheWallTime(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend, configure:{ $0.maxProcesses = 16; $0.maxJobDuration = 4 }) { h in
            let started = Date()
            var bomb = h.python("""
                import os, time
                failures = 0
                while True:
                    try:
                        if os.fork() == 0:
                            time.sleep(60)
                    except OSError:
                        failures += 1
                        if failures == 1:
                            print("fork refused", flush=True)
                """)
            // The marker in every bomb process's command line lets the test look for survivors.
            bomb.algorithm.container.entrypoint = "python3 $ALGO sluice-fork-bomb"
            let status = try await h.run(bomb)
            #expect(status.status == 41)
            #expect(status.terminationReason == "timeout")
            #expect(status.stopreq == 2)
            #expect(h.algorithmLog(status.jobId).contains("fork refused"))
            #expect(Date().timeIntervalSince(started) < 30)
            #expect(try await eventually(within: 5) { SandboxProbe.processes(containing: "sluice-fork-bomb").isEmpty })
        }
    }

    @Test(arguments: TestBackend.configured.filter { $0 != .slurm || SlurmTestEnvironment.enforcesMemory })
    func allocatingPastTheMemoryLimitEndsAsOutOfMemory(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend, configure:{ $0.ramGB = 0.0625 }) { h in
            let status = try await h.run(h.python("""
                chunks = []
                for i in range(64):
                    chunks.append(bytearray(8 * 1024 * 1024))
                print("allocated 512 MiB")
                """))
            #expect(status.status == 41)
            #expect(status.terminationReason == "outOfMemory", "\(status) \(h.algorithmLog(status.jobId))")
            #expect(!h.algorithmLog(status.jobId).contains("allocated"))
            #expect(h.configureLog(status.jobId).contains("memory: 67108864 bytes"))
        }
    }

    @Test(arguments: TestBackend.configured) func fillingTheDiskPastTheQuotaInOneFileEndsAsDiskQuotaExceeded(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend, configure:{ $0.diskGB = 8.0 / 1024 }) { h in
            let status = try await h.run(h.python("""
                with open("/data/outputs/big.bin", "wb") as f:
                    while True:
                        f.write(b"x" * 1024 * 1024)
                """))
            #expect(status.status == 41)
            #expect(status.terminationReason == "diskQuotaExceeded", "\(status) \(h.algorithmLog(status.jobId))")
            let size = ResultsListing.usage(of: h.workspace(status.jobId).outputs.path)
            #expect(size <= 8 << 20)
        }
    }

    @Test(arguments: TestBackend.configured) func fillingTheDiskWithManyFilesEndsAsDiskQuotaExceeded(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend, configure:{ $0.diskGB = 8.0 / 1024 }) { h in
            let status = try await h.run(h.python("""
                import time
                i = 0
                while True:
                    with open(f"/data/outputs/part{i}.bin", "wb") as f:
                        f.write(b"x" * 1024 * 1024)
                    i += 1
                    time.sleep(0.01)
                """))
            #expect(status.status == 41)
            #expect(status.terminationReason == "diskQuotaExceeded", "\(status) \(h.algorithmLog(status.jobId))")
        }
    }

    @Test(arguments: TestBackend.configured) func sleepingPastMaxJobDurationEndsAsTimeout(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend, configure:{ $0.maxJobDuration = 2 }) { h in
            let started = Date()
            let status = try await h.run(h.shell("echo before; echo partial > /data/outputs/partial.txt; sleep 30; echo after"))
            let elapsed = Date().timeIntervalSince(started)
            #expect(status.status == 41)
            #expect(status.terminationReason == "timeout")
            #expect(status.stopreq == 2)
            #expect(status.error?.contains("2 s") == true)
            #expect(elapsed >= 2 && elapsed < 15, "took \(elapsed) s")
            #expect(h.algorithmLog(status.jobId).contains("before"))
            #expect(status.results.contains { $0.filename == "partial.txt" })
        }
    }

    @Test(arguments: TestBackend.configured) func anEntrypointThatDoesNotExistFailsProvisioning(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend) { h in
            let status = try await h.run(h.spec(.raw("print(1)"), entrypoint: "no-such-interpreter $ALGO"))
            #expect(status.status == 32)
            #expect(status.terminationReason == "algorithmProvisioningFailed")
            #expect(status.error?.contains("no-such-interpreter") == true)
            #expect(status.dateFinished != nil)
        }
    }

    @Test(arguments: TestBackend.configured) func anImageTheEnvironmentCannotServeFailsProvisioning(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend) { h in
            let status = try await h.run(EngineHarness.spec(.raw("1"), entrypoint: "node $ALGO", image: "node", tag: "18"))
            #expect(status.status == 32)
            #expect(status.error?.contains("node:18") == true)
            for offered in h.offeredImages { #expect(status.error?.contains(offered) == true, "\(status.error ?? "")") }
        }
    }

    @Test(arguments: TestBackend.configured) func anAlgorithmURLThatDoesNotAnswerFailsProvisioningWithoutNamingIt(_ backend: TestBackend) async throws {
        let silent = try TestServer(response: nil)
        defer { silent.stop() }
        try await EngineHarness.with(on: backend, engineConfiguration: { $0.fetchTimeoutSeconds = 1 }) { h in
            let started = Date()
            let status = try await h.run(h.spec(.file(.url(silent.url)), entrypoint: "python3 $ALGO"))
            #expect(status.status == 32)
            #expect(Date().timeIntervalSince(started) < 20)
            let error = try #require(status.error)
            #expect(!error.contains("127.0.0.1") && !error.contains("secret-dataset-path") && !error.contains(String(silent.port)))
            #expect(!h.configureLog(status.jobId).contains("secret-dataset-path"))
        }
    }

    @Test(arguments: TestBackend.configured) func anInputLargerThanTheFetchLimitFailsDataProvisioning(_ backend: TestBackend) async throws {
        let big = Array(repeating: UInt8(65), count: 64 * 1024)
        let server = try TestServer.http(body: big)
        defer { server.stop() }
        try await EngineHarness.with(on: backend, engineConfiguration: { $0.maxSourceBytes = 16 * 1024 }) { h in
            for source in [DataSource.url(server.url), .path(Fixtures.file(bytes: 64 * 1024))] {
                let status = try await h.run(h.python("print(1)", inputs: [JobInput(did: EngineHarness.datasetDID, files: [source])]))
                #expect(status.status == 31)
                #expect(status.terminationReason == "dataProvisioningFailed")
                let error = try #require(status.error)
                #expect(error.contains("fetch limit of 16384 bytes"), "\(error)")
                #expect(!error.contains("127.0.0.1") && !error.contains("secret-dataset-path") && !error.contains("/tmp"))
            }
        }
    }

    @Test(arguments: TestBackend.configured) func aSourceRedirectingToALocalFileIsRefused(_ backend: TestBackend) async throws {
        let secret = Fixtures.file(bytes: 10)
        let server = try TestServer.http(body: [], status: "302 Found", headers: "Location: file://\(secret)\r\n")
        defer { server.stop() }
        try await EngineHarness.with(on: backend) { h in
            let status = try await h.run(h.python("print(open('/data/inputs/' + __import__('json').loads(__import__('os').environ['DIDS'])[0] + '/0').read())",
                                                              inputs: [JobInput(did: EngineHarness.datasetDID, files: [.url(server.url)])]))
            #expect(status.status == 31, "\(status.error ?? "") \(h.algorithmLog(status.jobId))")
            #expect(!h.algorithmLog(status.jobId).contains("AAAAAAAAAA"))
        }
    }

    @Test(arguments: TestBackend.configured) func anUnreachableInputFailsDataProvisioning(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend) { h in
            let status = try await h.run(h.python("print(1)", inputs: [
                JobInput(did: EngineHarness.datasetDID, files: [.path("/nonexistent/secret/location.csv")]),
            ]))
            #expect(status.status == 31)
            #expect(status.error?.contains("/nonexistent") == false)
        }
    }

    @Test(arguments: TestBackend.configured) func anOutputLinkingToAHostFileIsNotServed(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend) { h in
            let status = try await h.run(h.shell("""
                ln -s /etc/shadow /data/outputs/shadow
                mkdir /data/outputs/d && ln -s /etc /data/outputs/etc
                echo fine > /data/outputs/d/real.txt
                """))
            #expect(status.status == 70, "\(h.algorithmLog(status.jobId))")
            #expect(status.results.filter { $0.type == .output }.map(\.filename) == ["d/real.txt"])
            for result in status.results {
                let opened = try #require(try await h.engine.openResult(jobId: status.jobId, index: result.index))
                try opened.handle.close()
            }
            #expect(ComputeEngine.openWithoutLinks(root: h.workspace(status.jobId).root.path, relative: "outputs/etc/shadow") == nil)
        }
    }
}

enum SandboxProbe {
    /// Pids whose command line contains `marker`.
    static func processes(containing marker: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(marker)
        }
    }
}
