import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Time from exec of `sluice serve` to its first answered `GET /`, and its idle RSS.
enum StartupBench {
    static func run(sluice: String) {
        var fresh: [Double] = []
        var warm: [Double] = []
        var rss: [Int] = []
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: base) }
        for round in 0..<10 {
            let dataDir = base.appendingPathComponent("d\(round)").path
            let port = 28_000 + Int(getpid() % 1000) * 2 + round % 2
            for isFresh in [true, false] {
                guard let (elapsed, pid) = startAndTime(sluice: sluice, dataDir: dataDir, port: port) else {
                    print("startup: node did not answer on port \(port)")
                    return
                }
                (isFresh ? { fresh.append(elapsed) } : { warm.append(elapsed) })()
                if !isFresh && round < 3 {
                    usleep(1_000_000)
                    if let kb = residentKB(pid: pid) { rss.append(kb) }
                }
                kill(pid, SIGTERM)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
        }
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
        print(String(format: "startup/first-start (new data dir): median %.0f ms, max %.0f ms", median(fresh) * 1000, (fresh.max() ?? 0) * 1000))
        print(String(format: "startup/restart (existing data dir): median %.0f ms, max %.0f ms (target: at most 300 ms)", median(warm) * 1000, (warm.max() ?? 0) * 1000))
        if let worst = rss.max() {
            print(String(format: "memory/idle RSS of sluice serve: %.1f MB (target: at most 40 MB)", Double(worst) / 1024))
        }
    }

    /// Spawns the node and polls its port until `GET /` answers 200.
    static func startAndTime(sluice: String, dataDir: String, port: Int) -> (Double, pid_t)? {
        let start = ContinuousClock.now
        var pid: pid_t = 0
        let args = [sluice, "serve", "--data-dir", dataDir, "--port", String(port), "--log-level", "warning"]
        var cArgs = args.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 2, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        guard posix_spawn(&pid, sluice, &fileActions, nil, &cArgs, environ) == 0 else { return nil }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if getRoot(port: port) {
                let d = ContinuousClock.now - start
                return (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, pid)
            }
            usleep(500)
        }
        kill(pid, SIGKILL)
        return nil
    }

    static func getRoot(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        let request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 12 && String(decoding: buffer[0..<n], as: UTF8.self).hasPrefix("HTTP/1.1 200")
    }

    static func residentKB(pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }
}
