import Foundation
import SluiceCore
@testable import SluiceStore
import Testing

@Suite("Jobs in the store (SQLite and PostgreSQL)")
struct JobStoreTests {
    let alice = EthereumAddress("0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1")!

    func record(owner: String = "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", did: String = "did:op:aa",
                at time: Double, id: String = UUID().uuidString) -> JobRecord {
        let spec = JobSpecification(
            owner: owner, environment: "env",
            inputs: [JobInput(did: did, files: [.url("https://example.com/secret.csv")])],
            algorithm: JobAlgorithm(code: .raw("print(1)"), container: ContainerSection(entrypoint: "python $ALGO", image: "python", tag: "3.11")))
        return JobRecord(jobId: id, specification: spec, now: time)
    }

    @Test(arguments: StoreKind.allCases) func storesEveryTransitionAndDropsTheSpecificationAtTheEnd(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        var job = record(at: 100)
        try await store.insert(job)
        #expect(try await store.job(id: job.jobId) == job)
        job.transition(to: .jobStarted, at: 101)
        try await store.update(job)
        job.results = [JobResultFile(index: 0, filename: "algorithm.log", filesize: 3, type: .algorithmLog)]
        job.transition(to: .jobFinished, at: 102)
        try await store.update(job)
        let stored = try #require(try await store.job(id: job.jobId))
        #expect(stored.specification == nil)
        #expect(stored.dateFinished == 102)
        #expect(stored.results.count == 1)
        #expect(try await store.transitions(of: job.jobId) == [
            JobTransition(status: .warmingUp, at: 100), JobTransition(status: .jobStarted, at: 101),
            JobTransition(status: .jobFinished, at: 102),
        ])
    }

    /// The operator's listing: every owner's jobs, each filter narrowing it, newest first.
    @Test(arguments: StoreKind.allCases) func listsEveryOwnersJobsByFilter(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let bob = "0x8ba1f109551bD432803012645Ac136ddd64DBA72"
        let first = record(did: "did:op:aa", at: 100), second = record(owner: bob, did: "did:op:bb", at: 200)
        var third = record(owner: bob.lowercased(), did: "did:op:aa", at: 300)
        for job in [first, second, third] { try await store.insert(job) }
        third.transition(to: .jobFinished, at: 301)
        try await store.update(third)
        func ids(_ filter: JobFilter) async throws -> [String] { try await store.jobs(matching: filter).map(\.jobId) }
        #expect(try await ids(JobFilter()) == [third.jobId, second.jobId, first.jobId])
        #expect(try await ids(JobFilter(status: .jobFinished)) == [third.jobId])
        #expect(try await ids(JobFilter(owner: EthereumAddress(bob))) == [third.jobId, second.jobId])
        #expect(try await ids(JobFilter(documentId: "did:op:aa")) == [third.jobId, first.jobId])
        #expect(try await ids(JobFilter(createdFrom: 200, createdUntil: 300)) == [second.jobId])
        #expect(try await ids(JobFilter(owner: alice, documentId: "did:op:bb")) == [])
        #expect(try await ids(JobFilter(limit: 1)) == [third.jobId])
    }

    /// Every reason a job can end with reads back as stored, the node's own included
    /// (`nodeRestarted`, `nodeShutdown`).
    @Test(arguments: StoreKind.allCases) func storesEveryTerminationReason(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        for reason in TerminationReason.allCases {
            var job = record(at: 100)
            try await store.insert(job)
            job.terminationReason = reason
            job.transition(to: .algorithmFailed, at: 101)
            try await store.update(job)
            #expect(try await store.job(id: job.jobId)?.terminationReason == reason)
        }
    }

    /// The owner's review (who, until when, each decision with its reason and time) and the
    /// ending held while it is pending are part of the stored record on both stores (the
    /// record is JSON: no schema change); a job awaiting review is unfinished.
    @Test(arguments: StoreKind.allCases) func storesTheOwnersReview(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        var job = record(at: 100)
        try await store.insert(job)
        job.review = OwnerReview(reviewers: [alice.checksummed], deadline: 4000.5)
        job.heldEnding = HeldEnding(status: .jobFinished, reason: .completed, exitCode: 0, error: nil)
        job.transition(to: .filteringResults, at: 101)
        try await store.update(job)
        #expect(try await store.job(id: job.jobId) == job)
        #expect(try await store.unfinishedJobs().map(\.jobId) == [job.jobId])
        job.review?.record(ReviewDecision(reviewer: alice.checksummed, verdict: .reject, reason: "row-level data", at: 102.25))
        job.heldEnding = nil
        job.transition(to: .jobFinished, at: 103)
        try await store.update(job)
        let stored = try #require(try await store.job(id: job.jobId))
        #expect(stored.review?.state == .rejected)
        #expect(stored.review?.decisions == [ReviewDecision(reviewer: alice.checksummed, verdict: .reject, reason: "row-level data", at: 102.25)])
        #expect(try await store.unfinishedJobs().isEmpty)
    }

    /// The output checks' decisions and the dataset policies in the specification are part
    /// of the stored record (no schema change: the record is JSON), so a restart keeps them.
    @Test func storesTheOutputChecksAndThePolicies() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(SQLiteStore.fileName).path
        var job = record(at: 100)
        job.specification?.inputs[0].outputPolicy = OutputPolicy(maxRows: 10, verbatimCheck: false)
        do {
            let store = try SQLiteStore(path: path)
            try await store.insert(job)
            #expect(try await store.job(id: job.jobId)?.specification?.inputs[0].outputPolicy?.maxRows == 10)
            job.outputChecks = OutputChecks(policy: .builtIn, decisions: [
                .release("model.json", size: 12, type: .json),
                OutputDecision(filename: "copy.csv", filesize: 9000, detectedType: .csv, released: false,
                               rule: .verbatimCopy, reason: "withheld: it contains 64 or more consecutive bytes copied from input file 0"),
            ])
            job.terminationReason = .completed
            job.transition(to: .jobFinished, at: 101)
            try await store.update(job)
        }
        let reopened = try SQLiteStore(path: path)
        let stored = try #require(try await reopened.job(id: job.jobId))
        #expect(stored.outputChecks == job.outputChecks)
        #expect(JobStatus(stored).outputChecks?.withheld.map(\.filename) == ["copy.csv"])
    }

    @Test(arguments: StoreKind.allCases) func aStaleNonceStoresNoJob(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let first = record(at: 1)
        try await store.insert(first, authorizedBy: Nonce(5), of: alice, consumingOrders: [])
        let second = record(at: 2)
        await #expect(throws: StoreError.staleNonce(sent: 5, last: 5)) {
            try await store.insert(second, authorizedBy: Nonce(5), of: alice, consumingOrders: [])
        }
        #expect(try await store.job(id: second.jobId) == nil)
        #expect(try await store.job(id: first.jobId) != nil)
        #expect(try await store.lastNonce(of: alice) == 5)
    }

    @Test(arguments: StoreKind.allCases) func anOrderPaysForOneJobOnly(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let tx = "0x" + String(repeating: "ab", count: 32)
        let first = record(at: 1)
        try await store.insert(first, authorizedBy: Nonce(1), of: alice, consumingOrders: [tx])
        let second = record(at: 2)
        await #expect(throws: AdmissionError.self) {
            try await store.insert(second, authorizedBy: Nonce(2), of: alice, consumingOrders: [tx.uppercased().replacingOccurrences(of: "0X", with: "0x")])
        }
        #expect(try await store.job(id: second.jobId) == nil)
        #expect(try await store.lastNonce(of: alice) == 1, "the refused insert consumed no nonce")
    }

    @Test(arguments: StoreKind.allCases) func queriesByOwnerAreCaseInsensitiveAndNewestFirst(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let older = record(owner: "0x1a642f0e3c3af545e7acbd38b07251b3990914f1", at: 1)
        let newer = record(did: "did:op:bb", at: 2)
        let stranger = record(owner: "0x" + String(repeating: "2", count: 40), at: 3)
        for job in [older, newer, stranger] { try await store.insert(job) }
        #expect(try await store.jobs(owner: alice, documentId: nil).map(\.jobId) == [newer.jobId, older.jobId])
        #expect(try await store.jobs(owner: alice, documentId: "did:op:aa").map(\.jobId) == [older.jobId])
    }

    @Test(arguments: StoreKind.allCases) func unfinishedFinishedAndDelete(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let waiting = record(at: 1)
        var done = record(at: 2)
        try await store.insert(waiting)
        try await store.insert(done)
        done.transition(to: .algorithmFailed, at: 50)
        try await store.update(done)
        #expect(try await store.unfinishedJobs().map(\.jobId) == [waiting.jobId])
        #expect(try await store.finishedJobs(environment: "env", before: 50).isEmpty)
        #expect(try await store.finishedJobs(environment: "env", before: 51).map(\.jobId) == [done.jobId])
        #expect(try await store.finishedJobs(environment: "other", before: 51).isEmpty)
        #expect(try await store.deleteJob(id: done.jobId), "the first delete removes it")
        #expect(try await store.deleteJob(id: done.jobId) == false, "a second finds nothing to remove")
        #expect(try await store.job(id: done.jobId) == nil)
        #expect(try await store.transitions(of: done.jobId).isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func aJobWhoseOwnerIsNotAnAddressIsRefused(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        await #expect(throws: JobStoreError.ownerIsNotAnAddress) { try await store.insert(record(owner: "bob", at: 1)) }
    }
}
