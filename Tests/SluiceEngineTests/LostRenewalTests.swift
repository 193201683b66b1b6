import Foundation
import Logging
import SluiceCore
@testable import SluiceEngine
import SluiceTesting
import Testing

/// A replica cut off from its database cannot renew the holds on its jobs; past a hold's
/// length another replica may already run them, so it kills its own runs and stores
/// nothing more. A failure shorter than a hold changes nothing.
@Suite("A replica that cannot renew its holds")
struct LostRenewalTests {
    @Test func killsItsRunsOnceAHoldsLengthPassedAndNotBefore() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-renewal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var environment = ComputeEnvironment(id: "test-env", nCPU: 1, ramGB: 0.25, diskGB: 0.0625, maxJobs: 2,
                                             maxJobDuration: 120, maxProcesses: 64, storageExpiry: 3600)
        environment.runtimes = try TestRuntimes.all()
        var configuration = EngineConfiguration(dataDirectory: dir.path, fetchTimeoutSeconds: 5,
                                                egress: EngineHarness.loopbackAllowed)
        // Wide against a loaded machine: two failed renewals take 0.4 s of the 8.
        configuration.holdSeconds = 8
        configuration.heartbeat = .milliseconds(200)
        var logger = Logger(label: "sluice.engine.renewal")
        logger.logLevel = .critical
        let store = InMemoryStore()
        let engine = ComputeEngine(configuration: configuration, environments: [environment], store: store,
                                   backends: [BubblewrapBackend(logger: logger)], logger: logger)
        try await engine.start()
        do {
            try await cutOff(engine, store, dir)
        } catch {
            await engine.shutdown()
            throw error
        }
        await engine.shutdown()
    }

    func cutOff(_ engine: ComputeEngine, _ store: InMemoryStore, _ dir: URL) async throws {
        let id = try await engine.submit(EngineHarness.python("""
            import time
            while True:
                print("tick", flush=True)
                time.sleep(0.1)
            """)).jobId
        let log = dir.appendingPathComponent("jobs/\(id)/logs/algorithm.log")
        func logBytes() -> Int { (try? Data(contentsOf: log).count) ?? 0 }
        #expect(try await eventually(within: 60) { logBytes() > 0 })

        // A short cut: two renewals fail, then they work again; the run goes on.
        await store.failRenewals(true)
        #expect(try await eventually(within: 30) { await store.failedRenewals >= 2 })
        await store.failRenewals(false)
        let before = logBytes()
        #expect(try await eventually(within: 30) { logBytes() > before }, "the run goes on")
        #expect(await engine.live[id] != nil)

        // A cut longer than a hold: the run is killed and nothing is stored over the job.
        await store.failRenewals(true)
        #expect(try await eventually(within: 60) { await engine.live[id] == nil }, "let go of past a hold's length")
        let stopped = logBytes()
        try await Task.sleep(for: .seconds(1))
        #expect(logBytes() == stopped, "its run was killed")
        let record = try #require(await store.job(id: id))
        #expect(!record.status.isTerminal, "nothing stored: another replica may run it now (\(record.status))")
    }
}
