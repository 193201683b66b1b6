import Foundation
import SluiceClient
import SluiceCore
import SluiceTesting
import Testing

/// Issue 15, point 4: two `sluice serve` replicas on one PostgreSQL database, following
/// the EVM harness. Exactly one follows the chain; kill it with SIGKILL and the other
/// takes over within 15 s and indexes the next publication.
@Suite("Replicas on one database follow the chain one at a time", .serialized,
       .enabled(if: ChainNode.configured && SharedDatabase.server != nil, "needs the EVM harness and SLUICE_POSTGRES_URL"))
struct IndexerFailoverTests {
    @Test func whenTheReplicaFollowingTheChainDiesAnotherTakesOverWithin15SecondsAndIndexesTheNextPublication() async throws {
        let server = try #require(SharedDatabase.server)
        let database = try await PostgresTestServer.freshDatabase(on: server)
        let chain = try await ChainNode.start { $0["database"] = .string(database.url) }
        // The same data directory, config and database: a replica as an operator starts one.
        let replicas = [chain.node, try await chain.node.restarted()]
        defer {
            _ = replicas[1].process.stop()
            replicas[0].stop()
        }
        var holders: [Int] = []
        let settled = try await poll(within: 60) {
            var held: [Bool?] = []
            for replica in replicas { held.append(try? await replica.client.health().holdsIndexer) }
            holders = held.indices.filter { held[$0] == true }
            return held.allSatisfy { $0 != nil } && holders.count == 1
        }
        #expect(settled, "holders \(holders)")
        let holder = try #require(holders.first)
        let survivor = replicas[1 - holder]
        let answered = try await survivor.client.info()
        #expect(answered.replica == (try await survivor.client.health().replica) && answered.holdsIndexer == false)
        #expect(try await replicas[holder].client.info().holdsIndexer == true)

        replicas[holder].process.kill9()
        let killed = ContinuousClock.now
        // The survivor takes the role over once the server drops the dead one's lock.
        let tookOver = try await poll(within: 15) { try await survivor.client.health().holdsIndexer == true }
        let took = ContinuousClock.now - killed
        #expect(tookOver, "no replica followed the chain \(took) after the holder was killed")
        let csv = try survivor.file("after-failover.csv", "x\n1\n")
        // Returns once the survivor serves the DDO: indexed from the chain's event.
        let ddo = try await survivor.client.publishDataset(.path(csv), AssetDescription(name: "after the failover", author: "Alice"),
                                                           by: survivor.alice)
        #expect(try await survivor.client.resolve(ddo.id.text).id == ddo.id)
        print("the other replica followed the chain \(took) after the one following it was killed")
    }
}

/// The PostgreSQL server of `scripts/postgres-test-env.sh`, when one is configured.
enum SharedDatabase {
    static var server: PostgresURL? {
        if case .available(let server) = PostgresTestServer.availability { return server }
        return nil
    }
}
