import GRDB
public import SluiceCore

extension SQLiteStore: NonceStore {
    public func lastNonce(of address: EthereumAddress) async throws -> UInt64 {
        try await writer.read { db in try Self.lastNonce(db, address) }
    }

    public func consume(_ nonce: Nonce, of address: EthereumAddress) async throws {
        try await writer.write { db in try Self.consume(db, nonce, address) }
    }

    /// Check-and-set inside the caller's write transaction, so it commits or rolls back
    /// together with the action the nonce authorises.
    static func consume(_ db: Database, _ nonce: Nonce, _ address: EthereumAddress) throws {
        // Inside the write transaction: no other writer runs between the read and the
        // write, so the check and the set are one step.
        try nonce.requireFresh(last: try lastNonce(db, address))
        try db.execute(sql: """
            INSERT INTO nonce (address, nonce) VALUES (?, ?)
            ON CONFLICT(address) DO UPDATE SET nonce = excluded.nonce
            """, arguments: [address.lowercased, Int64(nonce.value)])
    }

    static func lastNonce(_ db: Database, _ address: EthereumAddress) throws -> UInt64 {
        let stored = try Int64.fetchOne(db, sql: "SELECT nonce FROM nonce WHERE address = ?", arguments: [address.lowercased])
        return UInt64(max(stored ?? 0, 0))
    }
}
