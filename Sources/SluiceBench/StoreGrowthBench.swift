import Foundation
import Logging
import SluiceCore
import SluiceCrypto
import SluicePostgres
import SluiceStore
#if canImport(Glibc)
import Glibc
#endif

/// Issue 15: the cost of a signed request must not grow with the stores. Signed status
/// requests from fresh addresses (each one a new nonce row) through a real node, on an
/// empty store and on one holding 1,000,000 addresses and 100,000 finished jobs, on SQLite
/// and (when SLUICE_POSTGRES_URL is set) on PostgreSQL. Target: throughput within 10% and
/// p99 within 2x of the empty store's.
enum StoreGrowthBench {
    static func run(sluice: String, addresses: Int, jobs: Int) async {
        await measure(sluice: sluice, store: "SQLite", database: nil, addresses: addresses, jobs: jobs)
        if let url = ProcessInfo.processInfo.environment["SLUICE_POSTGRES_URL"], !url.isEmpty {
            await measure(sluice: sluice, store: "PostgreSQL", database: url, addresses: addresses, jobs: jobs)
        } else {
            print("store growth on PostgreSQL: skipped (SLUICE_POSTGRES_URL is not set; see scripts/postgres-test-env.sh)")
        }
    }

    static func measure(sluice: String, store: String, database: String?, addresses: Int, jobs: Int) async {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-growth-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        do {
            let database = try database.map { try freshDatabase(from: $0) }
            guard let (pid, port) = HTTPComputeBench.startNode(sluice: sluice, work: work, database: database?.url),
                  let setup = HTTPComputeBench.Setup(port: port, work: work) else {
                print("store growth (\(store)): the node did not start")
                return
            }
            let empty = freshAddressStatus(port: port, documentId: setup.did)
            stop(pid)
            let seeding = ContinuousClock.now
            try await seed(dataDir: work.appendingPathComponent("data"), database: database?.setting,
                           addresses: addresses, jobs: jobs, documentId: setup.did)
            let seeded = HTTPComputeBench.seconds(ContinuousClock.now - seeding)
            guard let (again, portAgain) = HTTPComputeBench.startNode(sluice: sluice, work: work, database: database?.url) else {
                print("store growth (\(store)): the node did not start again")
                return
            }
            defer { stop(again) }
            let full = freshAddressStatus(port: portAgain, documentId: setup.did)
            print(String(format: "signed status from fresh addresses on %@: empty store %.0f requests/s, p99 %.1f ms; with %d addresses and %d finished jobs (seeded in %.0f s) %.0f requests/s, p99 %.1f ms: throughput %.0f%% of empty (target at least 90%%), p99 %.2fx (target at most 2x)",
                         store, empty.rate, empty.p99, addresses, jobs, seeded, full.rate, full.p99,
                         full.rate / empty.rate * 100, full.p99 / max(empty.p99, 0.001)))
        } catch {
            print("store growth (\(store)): failed: \(error)")
        }
    }

    /// Requests from 16 connections, each from an address the store has never seen.
    static func freshAddressStatus(port: Int, documentId: String, connections: Int = 16, perConnection: Int = 1500)
        -> (rate: Double, p99: Double) {
        let requests: [[String]] = (0..<connections).map { _ in
            (0..<perConnection).map { _ in
                let key = PrivateKey.generate()
                let address = key.address.checksummed
                let sig = PersonalSign.sign(message: address + documentId, nonce: Nonce(1), key: key).hex
                return "/api/services/compute?consumerAddress=\(address)&nonce=1&signature=\(sig)&documentId=\(documentId)"
            }
        }
        let (seconds, latencies, _) = HTTPComputeBench.getAll(requests, port: port)
        let all = latencies.sorted()
        let p99 = all.isEmpty ? 0 : all[min(all.count - 1, all.count * 99 / 100)]
        return (Double(all.count) / seconds, p99)
    }

    /// `addresses` nonces (in one SQL statement) and `jobs` finished jobs owned by some of
    /// those addresses (through the store's own API), while the node is stopped.
    static func seed(dataDir: URL, database: PostgresURL?, addresses: Int, jobs: Int, documentId: String) async throws {
        var logger = Logger(label: "sluice.bench")
        logger.logLevel = .warning
        let stores: any NonceStore & JobStore
        if let database {
            stores = try await PostgresStore(database: database, password: ProcessInfo.processInfo.environment["PGPASSWORD"],
                                             logger: logger, maximumConnections: 8)
        } else {
            stores = try SQLiteStore(path: dataDir.appendingPathComponent(SQLiteStore.fileName).path)
        }
        // Nonce rows in one statement (the API's one transaction each would take minutes):
        // address i is 0x followed by i in 40 hex digits.
        try bulkNonces(addresses, dataDir: dataDir, database: database)
        func owner(_ index: Int) -> String {
            var bytes = [UInt8](repeating: 0, count: 20)
            withUnsafeBytes(of: UInt64(1 + index % max(addresses, 1)).bigEndian) { bytes.replaceSubrange(12..<20, with: $0) }
            return EthereumAddress(suffixOf: bytes).checksummed
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for part in 0..<8 {
                group.addTask {
                    for index in stride(from: part, to: jobs, by: 8) {
                        let spec = JobSpecification(owner: owner(index * 7919), environment: "bench",
                                                    inputs: [JobInput(did: documentId, files: [.path("/dev/null")])],
                                                    algorithm: JobAlgorithm(code: .raw("true"), container: ContainerSection(entrypoint: "sh $ALGO", image: "shell", tag: "1")))
                        let now = Date().timeIntervalSince1970 - 60
                        var record = JobRecord(jobId: String(format: "%032x", index + 1), specification: spec, now: now)
                        try await stores.insert(record)
                        record.exitCode = 0
                        record.terminationReason = .completed
                        record.transition(to: .jobFinished, at: now + 1)
                        try await stores.update(record)
                    }
                }
            }
            try await group.waitForAll()
        }
        (stores as? PostgresStore)?.close()
        // A database in service has been vacuumed and analysed since such a load; one
        // measured right after it would time autovacuum catching up instead.
        if let database { try psql(database, "VACUUM ANALYZE") }
    }

    static func psql(_ database: PostgresURL, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-q", "-h", database.host, "-p", String(database.port), "-U", database.user, "-d", database.name, "-c", sql]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SeedError.bulkInsertFailed }
    }

    static func bulkNonces(_ count: Int, dataDir: URL, database: PostgresURL?) throws {
        if let database {
            return try psql(database, "INSERT INTO nonce (address, nonce) SELECT '0x' || lpad(to_hex(i), 40, '0'), 1 FROM generate_series(1, \(count)) i")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < \(count)) INSERT INTO nonce (address, nonce) SELECT printf('0x%040x', i), 1 FROM c")
            db.commit()
            """, dataDir.appendingPathComponent(SQLiteStore.fileName).path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SeedError.bulkInsertFailed }
    }

    enum SeedError: Error { case bulkInsertFailed }

    /// A database of its own on the server `url` names, for one measurement.
    static func freshDatabase(from url: String) throws -> (url: String, setting: PostgresURL) {
        let base = try PostgresURL(url: url)
        let name = "bench_growth_\(UInt32.random(in: 0...UInt32.max))"
        try psql(base, "CREATE DATABASE \(name)")
        let fresh = PostgresURL(user: base.user, host: base.host, port: base.port, name: name, tls: base.tls)
        let text = url.replacingOccurrences(of: "/\(base.name)", with: "/\(name)")
        return (text, fresh)
    }

    static func stop(_ pid: pid_t) {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
