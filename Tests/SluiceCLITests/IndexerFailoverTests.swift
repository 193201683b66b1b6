import Foundation
import SluiceClient
import SluiceCore
import SluiceTesting
import Testing

/// Issue 15, point 4: two `sluice serve` replicas on one PostgreSQL database, following
/// the EVM harness. Exactly one follows the chain; kill it with SIGKILL and the other
/// takes over and indexes the next publication within 15 s.
@Suite("Replicas on one database follow the chain one at a time", .serialized,
       .enabled(if: ChainNode.configured && SharedDatabase.server != nil, "needs the EVM harness and SLUICE_POSTGRES_URL"))
struct IndexerFailoverTests {
    @Test func whenTheReplicaFollowingTheChainDiesAnotherIndexesTheNextPublicationWithin15Seconds() async throws {
        let server = try #require(SharedDatabase.server)
        let database = try await PostgresTestServer.freshDatabase(on: server)
        let chain = try await ChainNode.start { $0["database"] = .string(database.url) }
        // The same data directory, config and database: a replica as an operator starts one.
        let replicas = [chain.node, try chain.node.restarted()]
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
        let csv = try survivor.file("after-failover.csv", "x\n1\n")
        // Returns once the survivor serves the DDO: indexed from the chain's event.
        let ddo = try await survivor.client.publishDataset(.path(csv), AssetDescription(name: "after the failover", author: "Alice"),
                                                           by: survivor.alice)
        let took = ContinuousClock.now - killed
        #expect(took < .seconds(15), "indexed \(took) after the holder was killed")
        #expect(try await survivor.client.resolve(ddo.id.text).id == ddo.id)
        #expect(try await survivor.client.health().holdsIndexer == true)
        print("the other replica indexed a publication \(took) after the one following the chain was killed")
    }
}

/// The PostgreSQL server of `scripts/postgres-test-env.sh`, when one is configured.
enum SharedDatabase {
    static var server: PostgresURL? {
        if case .available(let server) = PostgresTestServer.availability { return server }
        return nil
    }
}
