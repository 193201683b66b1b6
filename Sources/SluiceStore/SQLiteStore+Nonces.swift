import GRDB
import SluiceCore

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
        // Nonces start at 0 (none accepted): the first accepted one is at least 1.
        guard nonce.value > 0 else { throw StoreError.staleNonce(sent: 0, last: try lastNonce(db, address)) }
        // One statement: insert, or raise the stored nonce only when the new one is greater.
        try db.execute(sql: """
            INSERT INTO nonce (address, nonce) VALUES (?, ?)
            ON CONFLICT(address) DO UPDATE SET nonce = excluded.nonce WHERE excluded.nonce > nonce.nonce
            """, arguments: [address.lowercased, Int64(nonce.value)])
        guard db.changesCount == 1 else {
            throw StoreError.staleNonce(sent: nonce.value, last: try lastNonce(db, address))
        }
    }

    static func lastNonce(_ db: Database, _ address: EthereumAddress) throws -> UInt64 {
        let stored = try Int64.fetchOne(db, sql: "SELECT nonce FROM nonce WHERE address = ?", arguments: [address.lowercased])
        return UInt64(max(stored ?? 0, 0))
    }
}
