import Foundation
import SluiceCore
import SluiceCrypto
#if canImport(Glibc)
import Glibc
#endif

/// Through a real `sluice serve` on loopback: signed status requests per second, and the
/// submit-to-finished time of a no-op algorithm (POST compute, then signed status polls).
enum HTTPComputeBench {
    static func run(sluice: String) {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-http-\(getpid())")
        defer { try? FileManager.default.removeItem(at: work) }
        guard let (pid, port) = startNode(sluice: sluice, work: work) else {
            print("compute-http: the node did not start")
            return
        }
        defer { kill(pid, SIGTERM); var s: Int32 = 0; waitpid(pid, &s, 0) }
        guard let setup = Setup(port: port, work: work) else {
            print("compute-http: setup through the API failed")
            return
        }
        statusThroughput(port: port, documentId: setup.did)
        submitToFinished(setup)
    }

    /// `database` is the config's key (nil for the embedded SQLite).
    static func startNode(sluice: String, work: URL, database: String? = nil, port chosen: Int? = nil) -> (pid_t, Int)? {
        let published = work.appendingPathComponent("published")
        let runtime = work.appendingPathComponent("runtime")
        try? FileManager.default.createDirectory(at: published, withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
        try? Data("x\n1\n".utf8).write(to: published.appendingPathComponent("data.csv"))
        let port = chosen ?? 30_000 + Int(getpid() % 5000)
        var members: [String: JSONValue] = [
            "port": .integer(Int64(port)), "dataDir": .string(work.appendingPathComponent("data").path),
            "localFileRoots": .array([.string(published.path)]),
            "environments": .array([.object(["id": .string("bench"), "maxJobs": .integer(2), "maxQueuedJobs": .integer(1000),
                                             "runtimes": .object(["shell:1": .string(runtime.path)])])]),
        ]
        if let database { members["database"] = .string(database) }
        let config = JSONValue.object(members)
        let configPath = work.appendingPathComponent("sluice-\(port).json").path
        try? Data(config.compactJSON().utf8).write(to: URL(fileURLWithPath: configPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sluice)
        process.arguments = ["serve", "--config", configPath, "--log-level", "warning"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        for _ in 0..<400 {
            if let c = BenchConnection(port: port), c.send("GET", "/")?.status == 200 { return (process.processIdentifier, port) }
            usleep(10_000)
        }
        process.terminate()
        return nil
    }

    /// A published dataset allowing raw algorithms, and Bob holding its datatokens.
    struct Setup {
        let port: Int
        let bob = PrivateKey.generate()
        let did: String
        let fee: JSONValue
        let datatoken: String
        let provider: String
        var nonce: UInt64 = 0

        init?(port: Int, work: URL) {
            self.port = port
            let alice = PrivateKey.generate()
            guard let c = BenchConnection(port: port),
                  let files = c.send("POST", "/api/services/encrypt", body: JSONValue.array([.object([
                    "type": .string("local"), "path": .string(work.appendingPathComponent("published/data.csv").path)])]).compactJSON())?.body,
                  let published = c.send("POST", "/api/sluice/assets", body: SignedWriteBody.make(action: "publish", payload: [
                    "metadata": .object(["type": .string("dataset"), "name": .string("bench"), "author": .string("a"), "license": .string("x")]),
                    "services": .array([.object(["id": .string("compute"), "type": .string("compute"), "files": .string(files),
                                                 "compute": .object(["allowRawAlgorithm": .bool(true)])])]),
                  ], key: alice, nonce: Nonce(1)).compactJSON()),
                  let ddo = try? JSONValue.parse(Array(published.body.utf8)),
                  let did = ddo["id"]?.stringValue,
                  let dt = ddo["services"]?.arrayValue?.first?["datatokenAddress"]?.stringValue,
                  let root = c.send("GET", "/"), let provider = (try? JSONValue.parse(Array(root.body.utf8)))?["providerAddress"]?.stringValue
            else { return nil }
            _ = c.send("POST", "/api/sluice/tokens/\(dt)/mint", body: SignedWriteBody.make(action: "mint", payload: [
                "to": .string(bob.address.checksummed), "amount": .string("1000000000000000000000")], key: alice, nonce: Nonce(2)).compactJSON())
            guard let initialized = c.send("POST", "/api/services/initializeCompute", body: JSONValue.object([
                "datasets": .array([.object(["documentId": .string(did), "serviceId": .string("compute")])]),
                "algorithm": .object(["meta": .object([:])]),
                "compute": .object(["env": .string("bench"), "validUntil": .integer(Int64(Date().timeIntervalSince1970) + 86400)]),
                "consumerAddress": .string(provider)]).compactJSON()),
                  let fee = (try? JSONValue.parse(Array(initialized.body.utf8)))?["datasets"]?.arrayValue?.first?["providerFee"]
            else { return nil }
            self.did = did
            self.fee = fee
            self.datatoken = dt
            self.provider = provider
        }

        mutating func nextNonce() -> Nonce { nonce += 1; return Nonce(nonce) }

        /// `count` orders of the dataset for Bob, placed through `c`; nil when one failed.
        mutating func placeOrders(_ count: Int, on c: BenchConnection) -> [String]? {
            var orders: [String] = []
            for _ in 0..<count {
                guard let placed = c.send("POST", "/api/sluice/orders", body: SignedWriteBody.make(action: "startOrder", payload: [
                    "datatoken": .string(datatoken), "consumer": .string(provider), "serviceIndex": .integer(0),
                    "providerFee": fee], key: bob, nonce: nextNonce()).compactJSON()),
                      let tx = (try? JSONValue.parse(Array(placed.body.utf8)))?["transactionId"]?.stringValue else { return nil }
                orders.append(tx)
            }
            return orders
        }

        /// A signed compute start of a no-op job paid by `order`.
        mutating func startBody(order tx: String) -> String {
            let address = bob.address.checksummed
            let nonce = nextNonce()
            return JSONValue.object([
                "consumerAddress": .string(address), "nonce": .integer(Int64(nonce.value)),
                "signature": .string(PersonalSign.sign(message: address + did, nonce: nonce, key: bob).hex),
                "environment": .string("bench"),
                "dataset": .object(["documentId": .string(did), "serviceId": .string("compute"), "transferTxId": .string(tx)]),
                "algorithm": .object(["meta": .object(["rawcode": .string("true"), "container": .object([
                    "entrypoint": .string("sh $ALGO"), "image": .string("shell"), "tag": .string("1"),
                    "checksum": .string("sha256:" + String(repeating: "0", count: 64))])])]),
            ]).compactJSON()
        }

        /// Whether the job has finished, asked through `c` with a signed status request.
        mutating func hasFinished(_ jobId: String, on c: BenchConnection) -> Bool {
            let address = bob.address.checksummed
            let n = nextNonce()
            let sig = PersonalSign.sign(message: address + jobId, nonce: n, key: bob).hex
            guard let status = c.send("GET", "/api/services/compute?consumerAddress=\(address)&nonce=\(n.value)&signature=\(sig)&jobId=\(jobId)"),
                  let job = (try? JSONValue.parse(Array(status.body.utf8)))?.arrayValue?.first,
                  let done = job["dateFinished"]?.stringValue else { return false }
            return Double(done) ?? 0 > 0
        }
    }

    static func statusThroughput(port: Int, documentId: String) {
        let connections = 16, perConnection = 1500
        // Pre-signed, so the figure is the node's, not the signer's.
        let requests: [[String]] = (0..<connections).map { _ in
            let key = PrivateKey.generate()
            let address = key.address.checksummed
            return (1...perConnection).map { n in
                let sig = PersonalSign.sign(message: address + documentId, nonce: Nonce(UInt64(n)), key: key).hex
                return "/api/services/compute?consumerAddress=\(address)&nonce=\(n)&signature=\(sig)&documentId=\(documentId)"
            }
        }
        let (seconds, _, failed) = getAll(requests, port: port)
        let total = connections * perConnection
        print(String(format: "http/signed GET compute (status): %.0f requests/s over %d requests, %d connections, %d failed (target: at least 5000/s)",
                     Double(total) / seconds, total, connections, failed))
    }

    /// Sends each list of GET paths on a connection of its own, one thread per connection
    /// (concurrentPerform would run only one per core). Returns the seconds taken, each
    /// answered request's latency in ms, and how many were not answered 200.
    static func getAll(_ requests: [[String]], port: Int) -> (seconds: Double, latencies: [Double], failed: Int) {
        getAll(requests, ports: [port])
    }

    /// The same, connection i to `ports[i % ports.count]` (replicas of one node).
    static func getAll(_ requests: [[String]], ports: [Int]) -> (seconds: Double, latencies: [Double], failed: Int) {
        let failures = Failures()
        let latencies = Latencies()
        let start = ContinuousClock.now
        let done = DispatchGroup()
        for (i, paths) in requests.enumerated() {
            let port = ports[i % ports.count]
            done.enter()
            Thread {
                defer { done.leave() }
                guard let c = BenchConnection(port: port) else { failures.add(paths.count); return }
                var mine: [Double] = []
                for path in paths {
                    let sent = ContinuousClock.now
                    guard c.send("GET", path)?.status == 200 else { failures.add(1); continue }
                    mine.append(seconds(ContinuousClock.now - sent) * 1000)
                }
                latencies.add(mine)
            }.start()
        }
        done.wait()
        return (seconds(ContinuousClock.now - start), latencies.all, failures.count)
    }

    static func submitToFinished(_ setupIn: Setup) {
        var setup = setupIn
        guard let c = BenchConnection(port: setup.port), let orders = setup.placeOrders(100, on: c) else { return }
        var latencies: [Double] = []
        for tx in orders {
            let body = setup.startBody(order: tx)
            let start = ContinuousClock.now
            guard let started = c.send("POST", "/api/services/compute", body: body), started.status == 201,
                  let jobId = (try? JSONValue.parse(Array(started.body.utf8)))?.arrayValue?.first?["jobId"]?.stringValue else {
                print("compute-http: a start failed")
                return
            }
            while !setup.hasFinished(jobId, on: c) && ContinuousClock.now - start < .seconds(30) { usleep(1000) }
            latencies.append(seconds(ContinuousClock.now - start) * 1000)
        }
        latencies.sort()
        let p50 = latencies[latencies.count / 2], p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        print(String(format: "http/no-op job submit-to-finished (POST compute, signed status polls every 1 ms): p50 %.1f ms, p99 %.1f ms over %d jobs (target: p50 at most 50 ms)",
                     p50, p99, latencies.count))
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    final class Latencies: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Double] = []
        func add(_ more: [Double]) { lock.withLock { values += more } }
        var all: [Double] { lock.withLock { values } }
    }

    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func add(_ n: Int) { lock.withLock { value += n } }
        var count: Int { lock.withLock { value } }
    }
}
