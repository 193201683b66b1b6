import Foundation
import Logging
public import SluiceCore
import SluicePostgres
import SluiceStore

/// Every store protocol a node's database implements; SQLite's and PostgreSQL's both do.
public typealias NodeDatabaseStore = NonceStore & JobStore & IndexedAssetStore & AssetSearchStore & OrderUseStore & EmbeddedLedgerStore

/// Opens the database `config.database` names: the SQLite file in the data directory, or
/// the PostgreSQL server (then the node keeps no SQLite file). Errors and logs name a
/// server as `host:port/db`, never its password.
enum NodeDatabase {
    static func open(config: NodeConfig, dataDir: URL, logger: Logger, startupLimit: Duration = .seconds(20),
                     environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> any NodeDatabaseStore {
        switch config.database {
        case .sqlite:
            let path = dataDir.appendingPathComponent(SQLiteStore.fileName).path
            let store: SQLiteStore
            do {
                store = try SQLiteStore(path: path)
            } catch {
                throw NodeAssembly.Failure(description: "cannot open the database in \(config.dataDir): \(error)")
            }
            // The database holds file lists and job specifications: readable by the node alone.
            for suffix in ["", "-wal", "-shm"] { chmod(path + suffix, 0o600) }
            return store
        case .postgres(let database):
            let password = try DatabasePassword.resolve(file: config.databasePasswordFile, environment: environment)
            logger.info("database: PostgreSQL at \(database.displayName)")
            do {
                return try await PostgresStore(database: database, password: password, logger: logger, startupLimit: startupLimit)
            } catch let error as PostgresStoreError {
                throw NodeAssembly.Failure(description: error.description)
            }
        }
    }
}

extension NodeDatabase {
    /// The advisory lock key of the chain indexer's role ("sluice:indexer" in ASCII, cut to 63 bits).
    static let indexerLockKey: Int64 = 0x736c_7569_6365_6978

    /// Who follows the chain: on PostgreSQL one replica at a time (an advisory lock), on
    /// SQLite this process.
    static func indexerRole(config: NodeConfig, logger: Logger,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any ExclusiveRole {
        guard case .postgres(let database) = config.database else { return SoleRole() }
        let password = try DatabasePassword.resolve(file: config.databasePasswordFile, environment: environment)
        return PostgresExclusiveRole(database: database, password: password, key: indexerLockKey, name: "chain indexer", logger: logger)
    }
}

/// The PostgreSQL password: the first line of `databasePasswordFile` when configured,
/// else `PGPASSWORD`, else none (trust or peer authentication).
enum DatabasePassword {
    static func resolve(file: String?, environment: [String: String]) throws -> String? {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw NodeAssembly.Failure(description: "databasePasswordFile \(file) cannot be read")
            }
            let text = String(decoding: data, as: UTF8.self)
            // The first line, whatever ends it ("\r\n" is one Character, and a newline).
            return String(text.split(maxSplits: 1, omittingEmptySubsequences: false, whereSeparator: \.isNewline).first ?? "")
        }
        return environment["PGPASSWORD"]
    }
}
