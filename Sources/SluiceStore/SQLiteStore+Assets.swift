import Foundation
import GRDB
public import SluiceCore

extension SQLiteStore: AssetStore {
    public func asset(_ did: DID) async throws -> DDO? {
        try await writer.read { db in try Self.asset(db, did) }
    }

    static func asset(_ db: Database, _ did: DID) throws -> DDO? {
        guard let text = try String.fetchOne(db, sql: "SELECT ddo FROM asset WHERE did = ?", arguments: [did.text]) else {
            return nil
        }
        return try JSONDecoder().decode(DDO.self, from: Data(text.utf8))
    }

    static func encode(_ ddo: DDO) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(ddo), as: UTF8.self)
    }
}
