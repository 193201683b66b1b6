import Logging
import PostgresNIO
import SluiceCore

/// The ledger's reads and balance arithmetic inside a transaction.
extension PostgresStore {
    static func nft(_ connection: PostgresConnection, _ address: EthereumAddress, logger: Logger) async throws -> DataNFTRecord? {
        let rows = try await connection.query("SELECT owner, name, symbol, created FROM nft WHERE address = \(address.lowercased)",
                                              logger: logger)
        for try await (ownerText, name, symbol, created) in rows.decode((String, String, String, Int).self) {
            guard let owner = EthereumAddress(ownerText) else { return nil }
            return DataNFTRecord(address: address, owner: owner, name: name, symbol: symbol, created: created)
        }
        return nil
    }

    static func datatoken(_ connection: PostgresConnection, _ address: EthereumAddress, logger: Logger) async throws -> DatatokenRecord? {
        let rows = try await connection.query(#"""
            SELECT nft, minter, name, symbol, "serviceId" FROM datatoken WHERE address = \#(address.lowercased)
            """#, logger: logger)
        for try await (nftText, minterText, name, symbol, serviceId) in rows.decode((String, String, String, String, String).self) {
            guard let nft = EthereumAddress(nftText), let minter = EthereumAddress(minterText) else { return nil }
            return DatatokenRecord(address: address, nft: nft, minter: minter, name: name, symbol: symbol, serviceId: serviceId)
        }
        return nil
    }

    static func insert(_ connection: PostgresConnection, _ dt: DatatokenRecord, logger: Logger) async throws {
        try await connection.query(#"""
            INSERT INTO datatoken (address, nft, minter, name, symbol, "serviceId")
            VALUES (\#(dt.address.lowercased), \#(dt.nft.lowercased), \#(dt.minter.lowercased), \#(dt.name), \#(dt.symbol), \#(dt.serviceId))
            """#, logger: logger)
    }

    /// The holder's balance; with `locking`, its row is created if missing and locked
    /// until the transaction ends, so the caller's write cannot race another's.
    static func balance(_ connection: PostgresConnection, _ token: EthereumAddress, _ holder: EthereumAddress,
                        locking: Bool, logger: Logger) async throws -> TokenAmount {
        if locking {
            try await connection.query("""
                INSERT INTO balance (token, holder, amount) VALUES (\(token.lowercased), \(holder.lowercased), '0')
                ON CONFLICT (token, holder) DO NOTHING
                """, logger: logger)
        }
        let query: PostgresQuery = locking
            ? "SELECT amount FROM balance WHERE token = \(token.lowercased) AND holder = \(holder.lowercased) FOR UPDATE"
            : "SELECT amount FROM balance WHERE token = \(token.lowercased) AND holder = \(holder.lowercased)"
        for try await text in try await connection.query(query, logger: logger).decode(String.self) {
            return TokenAmount(weiText: text) ?? .zero
        }
        return .zero
    }

    static func setBalance(_ connection: PostgresConnection, _ token: EthereumAddress, _ holder: EthereumAddress,
                           _ amount: TokenAmount, logger: Logger) async throws {
        try await connection.query("""
            UPDATE balance SET amount = \(amount.description) WHERE token = \(token.lowercased) AND holder = \(holder.lowercased)
            """, logger: logger)
    }

    static func debit(_ connection: PostgresConnection, token: EthereumAddress, holder: EthereumAddress, amount: TokenAmount,
                      logger: Logger) async throws {
        let has = try await balance(connection, token, holder, locking: true, logger: logger)
        guard let left = has.subtracting(amount) else {
            throw RequestError.badRequest("balance of \(holder.lowercased) in token \(token.lowercased) is \(has) wei, less than the \(amount) wei needed", field: "amount")
        }
        try await setBalance(connection, token, holder, left, logger: logger)
    }

    static func credit(_ connection: PostgresConnection, token: EthereumAddress, holder: EthereumAddress, amount: TokenAmount,
                       logger: Logger) async throws {
        guard let total = try await balance(connection, token, holder, locking: true, logger: logger).adding(amount) else {
            throw RequestError.badRequest("the amount would overflow the holder's balance", field: "amount")
        }
        try await setBalance(connection, token, holder, total, logger: logger)
    }
}
