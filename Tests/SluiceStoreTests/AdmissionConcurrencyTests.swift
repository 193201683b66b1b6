import Foundation
import SluiceCore
import Testing

/// Admission across connections: one signed request replayed 100 times at once, spread
/// over separate connection pools (as over replicas), admits exactly one job.
@Suite("Concurrent admissions (SQLite and PostgreSQL)")
struct AdmissionConcurrencyTests {
    let alice = EthereumAddress("0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1")!

    func record(at time: Double) -> JobRecord {
        let spec = JobSpecification(
            owner: alice.lowercased, environment: "env",
            inputs: [JobInput(did: "did:op:aa", files: [.url("https://example.com/data.csv")])],
            algorithm: JobAlgorithm(code: .raw("print(1)"), container: ContainerSection(entrypoint: "python $ALGO", image: "python", tag: "3.11")))
        return JobRecord(jobId: UUID().uuidString, specification: spec, now: time)
    }

    @Test(arguments: StoreKind.allCases) func aHundredReplaysOfOneNonceAdmitOneJob(_ kind: StoreKind) async throws {
        let stores = try await kind.openShared(pools: 4)
        let tx = "0x" + String(repeating: "cd", count: 32)
        let admission = JobAdmission(authorization: Authorization(signer: alice, nonce: Nonce(7)), orders: [tx])
        let jobs = (0..<100).map { record(at: Double($0)) }
        let outcomes = await withTaskGroup(of: Result<String, any Error>.self) { group in
            for (i, job) in jobs.enumerated() {
                let store = stores[i % stores.count]
                group.addTask {
                    do { try await store.insert(job, admitting: admission); return .success(job.jobId) } catch { return .failure(error) }
                }
            }
            var all: [Result<String, any Error>] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let admitted = outcomes.compactMap { try? $0.get() }
        #expect(admitted.count == 1, "exactly one replay is admitted")
        // Every refusal is the nonce's (it is checked first): no other error slipped through.
        for case .failure(let error) in outcomes {
            #expect(error as? StoreError == .staleNonce(sent: 7, last: 7), "\(error)")
        }
        let store = stores[0]
        #expect(try await store.jobs(owner: alice, documentId: nil).map(\.jobId) == admitted)
        #expect(try await store.jobPaid(by: tx) == admitted.first)
        #expect(try await store.lastNonce(of: alice) == 7)
    }

    /// Different nonces, one order: the order pays for one job only.
    @Test(arguments: StoreKind.allCases) func oneOrderRacedWithFreshNoncesPaysForOneJob(_ kind: StoreKind) async throws {
        let stores = try await kind.openShared(pools: 4)
        let tx = "0x" + String(repeating: "ef", count: 32)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<40 {
                let store = stores[i % stores.count]
                let job = record(at: Double(i))
                // Signers differ so that no nonce serialises them: only the order does.
                let signer = EthereumAddress(String(format: "0x%040x", i + 1))!
                let admission = JobAdmission(authorization: Authorization(signer: signer, nonce: Nonce(1)), orders: [tx])
                group.addTask {
                    do { try await store.insert(job, admitting: admission); return true } catch { return false }
                }
            }
            var count = 0
            for await ok in group where ok { count += 1 }
            return count
        }
        #expect(outcomes == 1)
        let paid = try #require(try await stores[0].jobPaid(by: tx))
        #expect(try await stores[0].job(id: paid) != nil)
    }
}
