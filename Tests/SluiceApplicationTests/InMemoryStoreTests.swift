import Foundation
import SluiceCore
import SluiceCrypto
import SluiceTesting
import Testing

/// The fake keeps the store protocols' promises the SQLite store's tests check.
@Suite struct InMemoryStoreTests {
    let alice = EthereumAddress("0x1a642f0e3c3af545e7acbd38b07251b3990914f1")!

    func record(_ id: String, at time: Double) -> JobRecord {
        let spec = JobSpecification(owner: alice.checksummed, environment: "e", agreementId: "",
                                    inputs: [JobInput(did: "did:op:aa", files: [.path("/x")])],
                                    algorithm: JobAlgorithm(code: .raw("true"), container: ContainerSection(entrypoint: "sh $ALGO", image: "s", tag: "1")))
        return JobRecord(jobId: id, specification: spec, now: time)
    }

    @Test func anAdmissionIsAllOrNothing() async throws {
        let store = InMemoryStore()
        let order = "0x" + String(repeating: "ab", count: 32)
        try await store.insert(record("a", at: 1), authorizedBy: Nonce(3), of: alice, consumingOrders: [order])
        await #expect(throws: StoreError.staleNonce(sent: 3, last: 3)) {
            try await store.insert(record("b", at: 2), authorizedBy: Nonce(3), of: alice, consumingOrders: [])
        }
        await #expect(throws: AdmissionError.orderAlreadyUsed(order: order, job: "a")) {
            try await store.insert(record("c", at: 3), authorizedBy: Nonce(4), of: alice, consumingOrders: [order.uppercased().replacingOccurrences(of: "0X", with: "0x")])
        }
        #expect(await store.job(id: "b") == nil)
        #expect(await store.job(id: "c") == nil)
        #expect(await store.lastNonce(of: alice) == 3, "a refused admission spends no nonce")
        var ended = try #require(await store.job(id: "a"))
        ended.transition(to: .jobFinished, at: 5)
        try await store.update(ended, releasingOrders: true)
        #expect(await store.jobPaid(by: order) == nil)
        #expect(await store.transitions(of: "a").map(\.status) == [.warmingUp, .jobFinished])
        #expect(await store.jobs(owner: alice, documentId: nil).map(\.jobId) == ["a"])
        #expect(await store.unfinishedJobs().isEmpty)
    }

    /// Like the SQLite store, the fake keeps the output checks' decisions with the job.
    @Test func theOutputChecksAreKeptWithTheJob() async throws {
        let store = InMemoryStore()
        var job = record("d", at: 1)
        try await store.insert(job)
        job.outputChecks = OutputChecks(policy: .builtIn, decisions: [
            OutputDecision(filename: "copy.csv", filesize: 10, detectedType: .csv, released: false, rule: .verbatimCopy, reason: "withheld: a copy"),
        ])
        job.terminationReason = .outputWithheld
        job.transition(to: .jobFinished, at: 2)
        try await store.update(job)
        let stored = try #require(await store.job(id: "d"))
        #expect(stored.outputChecks == job.outputChecks)
        #expect(stored.terminationReason == .outputWithheld)
    }
}
