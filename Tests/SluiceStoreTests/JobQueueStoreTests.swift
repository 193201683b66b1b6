import Foundation
import SluiceCore
@testable import SluiceStore
import Testing

/// The queue replicas share, on both stores: claims within the environment's slots, holds
/// renewed and released, stops asked of another replica, and the jobs of a replica that is
/// gone taken over once.
@Suite("The shared job queue in the store (SQLite and PostgreSQL)")
struct JobQueueStoreTests {
    let a = JobHold(replica: "host-a:1", until: 1_000)
    let b = JobHold(replica: "host-b:2", until: 1_000)

    func record(environment: String = "env", at time: Double) -> JobRecord {
        let spec = JobSpecification(
            owner: "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", environment: environment,
            inputs: [JobInput(did: "did:op:aa", files: [.url("https://example.com/data.csv")])],
            algorithm: JobAlgorithm(code: .raw("print(1)"), container: ContainerSection(entrypoint: "python $ALGO", image: "python", tag: "3.11")))
        return JobRecord(jobId: UUID().uuidString, specification: spec, now: time)
    }

    @Test(arguments: StoreKind.allCases) func theHoldsOfUnfinishedJobsAreListed(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let jobs = [record(at: 1), record(at: 2), record(at: 3)]
        for job in jobs { try await store.insert(job) }
        var first = try #require(try await store.claimNext(environment: "env", slots: 3, for: a))
        let second = try #require(try await store.claimNext(environment: "env", slots: 3, for: b))
        #expect(try await store.jobHolds() == [first.jobId: a, second.jobId: b], "the queued third is held by no one")
        first.transition(to: .jobFinished, at: 4)
        try await store.update(first)
        #expect(try await store.jobHolds() == [second.jobId: b], "an ended job holds nothing")
    }

    @Test(arguments: StoreKind.allCases) func claimsAreOldestFirstWithinTheSlotsOfEveryReplica(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let jobs = [record(at: 3), record(at: 1), record(at: 2), record(environment: "other", at: 0)]
        for job in jobs { try await store.insert(job) }
        #expect(try await store.claimNext(environment: "env", slots: 2, for: a)?.jobId == jobs[1].jobId)
        #expect(try await store.claimNext(environment: "env", slots: 2, for: b)?.jobId == jobs[2].jobId)
        // Two held, by two replicas: the environment's two slots are taken.
        #expect(try await store.claimNext(environment: "env", slots: 2, for: a) == nil)
        #expect(try await store.activeJobs(environment: "env") == ActiveJobs(running: 0, heldWaiting: 2, waiting: 1))
        var started = jobs[1]
        started.transition(to: .runningAlgorithm, at: 4)
        try await store.update(started)
        #expect(try await store.activeJobs(environment: "env") == ActiveJobs(running: 1, heldWaiting: 1, waiting: 1))
        // Storing its end lets go of its hold: the slot is free again.
        started.transition(to: .jobFinished, at: 5)
        try await store.update(started)
        #expect(try await store.claimNext(environment: "env", slots: 2, for: a)?.jobId == jobs[0].jobId)
        #expect(try await store.claimNext(environment: "env", slots: 2, for: a) == nil)
        #expect(try await store.holders() == ["host-a:1", "host-b:2"])
    }

    @Test(arguments: StoreKind.allCases) func concurrentClaimsNeverHoldMoreThanTheSlots(_ kind: StoreKind) async throws {
        let stores = try await kind.openShared(pools: 3)
        for i in 0..<12 { try await stores[0].insert(record(at: Double(i))) }
        let claimed = try await withThrowingTaskGroup(of: String?.self) { group in
            for i in 0..<30 {
                let store = stores[i % stores.count]
                let hold = JobHold(replica: "replica-\(i % 3)", until: 1_000)
                group.addTask { try await store.claimNext(environment: "env", slots: 4, for: hold)?.jobId }
            }
            var out: [String] = []
            for try await id in group { if let id { out.append(id) } }
            return out
        }
        #expect(claimed.count == 4 && Set(claimed).count == 4, "\(claimed)")
        #expect(try await stores[0].activeJobs(environment: "env") == ActiveJobs(running: 0, heldWaiting: 4, waiting: 8))
    }

    @Test(arguments: StoreKind.allCases) func aStopReachesTheHolderAtItsRenewal(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let running = record(at: 1), waiting = record(at: 2)
        try await store.insert(running)
        try await store.insert(waiting)
        _ = try await store.claimNext(environment: "env", slots: 1, for: a)
        #expect(try await store.renew([running.jobId], hold: a).stopAsked.isEmpty)
        #expect(try await store.askStop(jobId: running.jobId, hold: b) == .marked)
        // Only the holder renews; it learns of the stop then.
        #expect(try await store.renew([running.jobId], hold: b) == HoldRenewal(takenOver: [running.jobId]), "b does not hold it: a does")
        #expect(try await store.renew([running.jobId], hold: a) == HoldRenewal(stopAsked: [running.jobId]))
        // A waiting job becomes the asking replica's, to end without running.
        guard case .claimed(let claimed) = try await store.askStop(jobId: waiting.jobId, hold: b) else {
            Issue.record("a waiting job was not handed to the replica stopping it")
            return
        }
        #expect(claimed.jobId == waiting.jobId)
        #expect(try await store.askStop(jobId: "no-such-job", hold: b) == .nothingRuns)
    }

    @Test(arguments: StoreKind.allCases) func aGoneReplicasJobsAreTakenOverOnceAndReleasedOnesRequeued(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let expired = record(at: 1), dead = record(at: 2), live = record(at: 3)
        var unheld = record(at: 4)
        for job in [expired, dead, live, unheld] { try await store.insert(job) }
        _ = try await store.claimNext(environment: "env", slots: 9, for: JobHold(replica: "gone:1", until: 50))
        _ = try await store.claimNext(environment: "env", slots: 9, for: JobHold(replica: "dead:2", until: 500))
        _ = try await store.claimNext(environment: "env", slots: 9, for: JobHold(replica: "alive:3", until: 500))
        // Running, and held by no one: as a version without holds stored it.
        unheld.transition(to: .runningAlgorithm, at: 5)
        try await store.update(unheld)
        let taken = try await store.takeOver(for: a, now: 100, dead: ["dead:2"])
        #expect(taken.map(\.jobId) == [expired.jobId, dead.jobId, unheld.jobId])
        // Each once: another replica finds nothing left to take.
        #expect(try await store.takeOver(for: b, now: 100, dead: ["dead:2"]).isEmpty)
        #expect(try await store.holders() == ["host-a:1", "alive:3"])
        // Released, a job waits for any replica again.
        try await store.release([expired.jobId], replica: a.replica)
        #expect(try await store.claimNext(environment: "env", slots: 9, for: b)?.jobId == expired.jobId)
    }

    /// The admitting transaction counts the environment's unfinished jobs on every replica;
    /// jobs awaiting their owner's review hold no room.
    @Test(arguments: StoreKind.allCases) func admissionCountsTheEnvironmentsRoom(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let owner = EthereumAddress("0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1")!
        let room = EnvironmentRoom(environment: "env", capacity: 2)
        func admission(_ nonce: UInt64) -> JobAdmission {
            JobAdmission(authorization: Authorization(signer: owner, nonce: Nonce(nonce)), orders: [], room: room)
        }
        var first = record(at: 1)
        try await store.insert(first, admitting: admission(1))
        try await store.insert(record(at: 2), admitting: admission(2))
        await #expect(throws: AdmissionError.environmentFull(environment: "env")) {
            try await store.insert(record(at: 3), admitting: admission(3))
        }
        // Nothing of the refused start was kept: its nonce is still unused.
        #expect(try await store.lastNonce(of: owner) == 2)
        _ = try await store.claimNext(environment: "env", slots: 2, for: a)
        first.transition(to: .filteringResults, at: 4)
        first.review = OwnerReview(reviewers: [owner.lowercased], deadline: 100)
        try await store.update(first)
        try await store.insert(record(at: 5), admitting: admission(3))
    }
}
