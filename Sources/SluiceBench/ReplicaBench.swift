import Foundation
import SluiceCore
import SluiceCrypto
#if canImport(Glibc)
import Glibc
#endif

/// Issue 15's bench: signed status requests per second and trivial jobs per second
/// through one `sluice serve` on SQLite, one on PostgreSQL and three replicas sharing one
/// PostgreSQL database and data directory, in the same run. Goal: three replicas at
/// least 2.5 times one replica's status throughput, on machines with the cores for it.
enum ReplicaBench {
    static func run(sluice: String) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var single: Double?
        measure(sluice: sluice, store: "SQLite", database: nil, replicas: 1)
        guard let url = ProcessInfo.processInfo.environment["SLUICE_POSTGRES_URL"], !url.isEmpty else {
            print("replicas: PostgreSQL skipped (SLUICE_POSTGRES_URL is not set; see scripts/postgres-test-env.sh)")
            return
        }
        for replicas in [1, 3] {
            guard let database = try? StoreGrowthBench.freshDatabase(from: url) else {
                print("replicas: cannot make a database on \(url)")
                return
            }
            let rate = measure(sluice: sluice, store: "PostgreSQL", database: database.url, replicas: replicas)
            if replicas == 1 { single = rate }
            if replicas == 3, let single, let rate {
                print(String(format: "replicas: 3 on PostgreSQL give %.2fx one replica's signed status throughput on %d cores (goal: at least 2.5x with the cores for three)",
                             rate / single, cores))
            }
        }
    }

    /// Prints the figures; returns the status throughput.
    @discardableResult
    static func measure(sluice: String, store: String, database: String?, replicas: Int) -> Double? {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-replicas-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        var nodes: [(pid: pid_t, port: Int)] = []
        defer { for node in nodes { StoreGrowthBench.stop(node.pid) } }
        let base = 31_000 + Int(getpid() % 3000) * 3
        for i in 0..<replicas {
            guard let node = HTTPComputeBench.startNode(sluice: sluice, work: work, database: database, port: base + i) else {
                print("replicas (\(store), \(replicas)): replica \(i) did not start")
                return nil
            }
            nodes.append(node)
        }
        let ports = nodes.map(\.port)
        guard var setup = HTTPComputeBench.Setup(port: ports[0], work: work) else {
            print("replicas (\(store), \(replicas)): setup through the API failed")
            return nil
        }
        let status = statusRate(ports: ports, documentId: setup.did)
        let jobs = jobsRate(&setup, ports: ports)
        print(String(format: "replicas: %d on %@: signed status %.0f requests/s (p99 %.1f ms, %d failed); trivial jobs %@",
                     replicas, store, status.rate, status.p99, status.failed,
                     jobs.map { String(format: "%.1f/s", $0) } ?? "failed"))
        return status.rate
    }

    /// Pre-signed status requests from 16 connections spread over the replicas.
    static func statusRate(ports: [Int], documentId: String) -> (rate: Double, p99: Double, failed: Int) {
        let requests: [[String]] = (0..<16).map { _ in
            let key = PrivateKey.generate()
            let address = key.address.checksummed
            return (1...1000).map { n in
                let sig = PersonalSign.sign(message: address + documentId, nonce: Nonce(UInt64(n)), key: key).hex
                return "/api/services/compute?consumerAddress=\(address)&nonce=\(n)&signature=\(sig)&documentId=\(documentId)"
            }
        }
        let (seconds, latencies, failed) = HTTPComputeBench.getAll(requests, ports: ports)
        let sorted = latencies.sorted()
        return (Double(sorted.count) / seconds, sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)], failed)
    }

    /// 60 no-op jobs started round-robin over the replicas, to the last one's end: jobs per second.
    static func jobsRate(_ setup: inout HTTPComputeBench.Setup, ports: [Int], jobs: Int = 60) -> Double? {
        let connections = ports.compactMap { BenchConnection(port: $0) }
        guard connections.count == ports.count else { return nil }
        guard let orders = setup.placeOrders(jobs, on: connections[0]) else { return nil }
        let start = ContinuousClock.now
        var ids: [String] = []
        for (i, tx) in orders.enumerated() {
            let body = setup.startBody(order: tx)
            guard let started = connections[i % connections.count].send("POST", "/api/services/compute", body: body), started.status == 201,
                  let jobId = (try? JSONValue.parse(Array(started.body.utf8)))?.arrayValue?.first?["jobId"]?.stringValue else { return nil }
            ids.append(jobId)
        }
        for (i, jobId) in ids.enumerated() {
            while !setup.hasFinished(jobId, on: connections[i % connections.count]) {
                guard ContinuousClock.now - start < .seconds(300) else { return nil }
                usleep(5000)
            }
        }
        return Double(jobs) / HTTPComputeBench.seconds(ContinuousClock.now - start)
    }
}
