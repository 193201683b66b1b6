import Foundation
import SluiceCore
import SluiceCrypto
import SluiceStore
import Testing
@testable import SluiceEngine

/// What a job used, as each backend measures it (README, "What a job used"): in the
/// status object, the stored record and the signed receipt.
@Suite("What a job used")
struct ResourceUsageTests {
    static let key = PrivateKey.generate()
    static let touchedMiB = 120

    /// Holds 120 MiB, touched page by page, and burns 0.6 s of its own CPU time: a fixed
    /// amount of CPU whatever the machine's load (the loop counts CPU time, not wall time).
    static let burner = """
        import time
        block = bytearray(\(touchedMiB) * 1024 * 1024)
        for i in range(0, len(block), 4096):
            block[i] = 1
        start = time.process_time()
        rounds = 0
        while time.process_time() - start < 0.6:
            rounds += 1
        open("/data/outputs/rounds.txt", "w").write(str(rounds))
        """

    @Test(arguments: TestBackend.configured) func theRunsCPUTimeAndPeakMemoryAreInItsStatusAndReceipt(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend, engineConfiguration: { $0.receiptKey = Self.key }) { h in
            let status = try await h.run(h.python(Self.burner))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            let stored = try #require(try await h.store.job(id: status.jobId))
            #expect(stored.usage == status.resources, "the status shows what is stored")
            let receipt = try await receipt(h, status)
            #expect(receipt.resources.cpuSeconds == status.resources?.cpuSeconds.map(JobStatus.decimalSeconds))
            #expect(receipt.resources.peakMemoryBytes == status.resources?.peakMemoryBytes)
            let configureLog = h.configureLog(status.jobId)
            let touched = Int64(Self.touchedMiB) << 20
            let ceiling = Int64(h.environment.ramGB * Double(1 << 30)) + (64 << 20)
            switch backend {
            case .bubblewrap:
                // This host's cgroups count both.
                let cpu = try #require(status.resources?.cpuSeconds, "\(configureLog)")
                #expect(cpu >= 0.55 && cpu < 60, "\(cpu) s")
                let peak = try #require(status.resources?.peakMemoryBytes)
                #expect(peak >= touched && peak <= ceiling, "\(peak) bytes")
            case .slurm:
                // The harness's task/cgroup holds memory (and no cpuacct group of the job's
                // own: CPU time is unmeasured there, never the machine's).
                if SlurmTestEnvironment.enforcesMemory {
                    let peak = try #require(status.resources?.peakMemoryBytes, "\(configureLog)")
                    #expect(peak >= touched && peak <= ceiling, "\(peak) bytes")
                }
                if let cpu = status.resources?.cpuSeconds { #expect(cpu >= 0.55 && cpu < 60, "\(cpu) s") }
            case .podman:
                #expect(status.resources == nil, "the engine keeps no figures of an ended container")
                #expect(configureLog.contains("resources used: not measured"))
            }
        }
    }

    /// A job stopped while it runs keeps what it used up to then (bubblewrap measures the
    /// killed tree as well).
    @Test func aStoppedJobStillSaysWhatItUsed() async throws {
        try await EngineHarness.with { h in
            let jobId = try await h.engine.submit(EngineHarness.python("""
                import time
                start = time.process_time()
                while time.process_time() - start < 0.3:
                    pass
                print("burnt", flush=True)
                time.sleep(60)
                """)).jobId
            #expect(try await eventually(within: 60) { h.algorithmLog(jobId).contains("burnt") })
            _ = try await h.engine.stop(id: jobId)
            let status = try #require(try await h.engine.waitUntilFinished(id: jobId))
            #expect(status.status == JobStatusCode.jobStopped.rawValue)
            #expect((status.resources?.cpuSeconds ?? 0) >= 0.25, "\(String(describing: status.resources))")
        }
    }

    func receipt(_ h: EngineHarness, _ status: JobStatus) async throws -> JobReceipt {
        let entry = try #require(status.results.first { $0.type == .receipt })
        let opened = try #require(try await h.engine.openResult(jobId: status.jobId, index: entry.index))
        return try SignedReceipt.verify(Array(try opened.handle.readToEnd() ?? Data()), node: Self.key.address,
                                        outputs: h.workspace(status.jobId).outputs)
    }
}
