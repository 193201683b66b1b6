import Foundation
import GRDB
public import SluiceCore

extension SQLiteStore: IndexedAssetStore {
    public func applyIndexed(_ ddos: [DDO], cursor: ChainCursor) async throws {
        let rows = try ddos.map { ($0, try Self.encode($0)) }
        let now = Int(Date().timeIntervalSince1970)
        try await writer.write { db in
            for (ddo, json) in rows {
                try db.execute(sql: """
                    INSERT INTO asset (did, nftAddress, ddo, created, updated) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(did) DO UPDATE SET ddo = excluded.ddo, updated = excluded.updated
                    """, arguments: [ddo.id.text, ddo.nftAddress.lowercased, json, now, now])
                try Self.indexForSearch(db, did: ddo.id, json: json)
            }
            try db.execute(sql: """
                INSERT INTO chainCursor (chainId, blockNumber, blockHash) VALUES (?, ?, ?)
                ON CONFLICT(chainId) DO UPDATE SET blockNumber = excluded.blockNumber, blockHash = excluded.blockHash
                """, arguments: [cursor.chainId, cursor.blockNumber, cursor.blockHash])
        }
    }

    public func indexCursor(chainId: Int) async throws -> ChainCursor? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT blockNumber, blockHash FROM chainCursor WHERE chainId = ?",
                                             arguments: [chainId]) else { return nil }
            return ChainCursor(chainId: chainId, blockNumber: row["blockNumber"], blockHash: row["blockHash"])
        }
    }
}
