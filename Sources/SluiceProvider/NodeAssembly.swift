import Foundation
import Logging
import SluiceCore
import SluiceCrypto
import SluiceStore

/// Opens a node's data directory: creates it (mode 0700) on first start, loads or
/// creates the node key, opens and migrates the database.
public enum NodeAssembly {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func open(config: NodeConfig, logger: Logger) throws -> SluiceNode {
        let dir = URL(fileURLWithPath: config.dataDir)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(description: "cannot create data directory \(config.dataDir)")
        }
        let key: PrivateKey
        do {
            key = try NodeKeyFile.loadOrCreate(at: dir.appendingPathComponent(NodeKeyFile.fileName).path)
        } catch {
            throw Failure(description: error.description)
        }
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: dir.appendingPathComponent(SQLiteStore.fileName).path)
        } catch {
            throw Failure(description: "cannot open the database in \(config.dataDir): \(error)")
        }
        return SluiceNode(config: config, providerKey: key, store: store, logger: logger)
    }
}
