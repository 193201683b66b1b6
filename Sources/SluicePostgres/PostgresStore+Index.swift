import Foundation
import PostgresNIO
public import SluiceCore

extension PostgresStore: IndexedAssetStore {
    public func applyIndexed(_ ddos: [DDO], cursor: ChainCursor) async throws {
        let rows = try ddos.map { ($0, try Self.encode($0)) }
        let now = Int(Date().timeIntervalSince1970)
        try await transaction { connection in
            for (ddo, json) in rows {
                try await connection.query(#"""
                    INSERT INTO asset (did, "nftAddress", ddo, created, updated)
                    VALUES (\#(ddo.id.text), \#(ddo.nftAddress.lowercased), \#(json), \#(now), \#(now))
                    ON CONFLICT (did) DO UPDATE SET ddo = excluded.ddo, updated = excluded.updated
                    """#, logger: self.logger)
                try await Self.indexForSearch(connection, did: ddo.id, json: json, logger: self.logger)
            }
            try await connection.query(#"""
                INSERT INTO "chainCursor" ("chainId", "blockNumber", "blockHash")
                VALUES (\#(cursor.chainId), \#(cursor.blockNumber), \#(cursor.blockHash))
                ON CONFLICT ("chainId") DO UPDATE SET "blockNumber" = excluded."blockNumber", "blockHash" = excluded."blockHash"
                """#, logger: self.logger)
        }
    }

    public func indexCursor(chainId: Int) async throws -> ChainCursor? {
        let rows = try await client.query(#"""
            SELECT "blockNumber", "blockHash" FROM "chainCursor" WHERE "chainId" = \#(chainId)
            """#, logger: logger)
        for try await (block, hash) in rows.decode((Int, String).self) {
            return ChainCursor(chainId: chainId, blockNumber: block, blockHash: hash)
        }
        return nil
    }
}
