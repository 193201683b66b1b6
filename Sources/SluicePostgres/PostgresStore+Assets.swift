import Foundation
import Logging
import PostgresNIO
public import SluiceCore

extension PostgresStore: AssetStore {
    public func asset(_ did: DID) async throws -> DDO? {
        try await client.withConnection { connection in try await Self.asset(connection, did, logger: self.logger) }
    }

    static func asset(_ connection: PostgresConnection, _ did: DID, logger: Logger) async throws -> DDO? {
        let rows = try await connection.query("SELECT ddo FROM asset WHERE did = \(did.text)", logger: logger)
        for try await text in rows.decode(String.self) {
            return try JSONDecoder().decode(DDO.self, from: Data(text.utf8))
        }
        return nil
    }

    static func encode(_ ddo: DDO) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(ddo), as: UTF8.self)
    }
}
