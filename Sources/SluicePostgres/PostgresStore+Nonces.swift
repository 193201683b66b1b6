import Logging
import PostgresNIO
public import SluiceCore

extension PostgresStore: NonceStore {
    public func lastNonce(of address: EthereumAddress) async throws -> UInt64 {
        try await client.withConnection { connection in try await Self.lastNonce(connection, address, logger: self.logger) }
    }

    public func consume(_ nonce: Nonce, of address: EthereumAddress) async throws {
        try await transaction { connection in try await Self.consume(connection, nonce, address, logger: self.logger) }
    }

    /// Check-and-set inside the caller's transaction, so it commits or rolls back together
    /// with the action the nonce authorises. One statement: the upsert locks the address's
    /// row and re-reads it once the lock is granted, so of two transactions racing with one
    /// nonce the second sees the first's value (or, if the first rolled back, the old one)
    /// and only one returns a row.
    static func consume(_ connection: PostgresConnection, _ nonce: Nonce, _ address: EthereumAddress, logger: Logger) async throws {
        let value = Int64(nonce.value)   // Nonce.maxValue is Int64.max
        let stored = try await connection.query("""
            INSERT INTO nonce (address, nonce) VALUES (\(address.lowercased), \(value))
            ON CONFLICT (address) DO UPDATE SET nonce = excluded.nonce WHERE nonce.nonce < excluded.nonce
            RETURNING nonce
            """, logger: logger).collect()
        if stored.isEmpty {
            // Refused: the error names the value that refused it (the row is locked by now,
            // or was by the transaction that set it).
            try nonce.requireFresh(last: try await lastNonce(connection, address, logger: logger))
            // Greater than what is stored now, yet refused under the lock: the value the
            // upsert saw was committed and is the last one.
            throw StoreError.staleNonce(sent: nonce.value, last: nonce.value)
        }
        // A first nonce of 0 is inserted by the upsert but is never fresh: refuse it (the
        // caller's transaction rolls the row back).
        try nonce.requireFresh(last: 0)
    }

    static func lastNonce(_ connection: PostgresConnection, _ address: EthereumAddress, logger: Logger) async throws -> UInt64 {
        let rows = try await connection.query("SELECT nonce FROM nonce WHERE address = \(address.lowercased)", logger: logger)
        for try await stored in rows.decode(Int64.self) { return UInt64(max(stored, 0)) }
        return 0
    }
}
