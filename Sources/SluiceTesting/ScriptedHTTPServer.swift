import Foundation

/// An HTTP/1.1 server on a loopback address for fetch tests. Each request gets the
/// answer `script` gives for its position (0 for the first), so a test can serve one
/// file to the first download and another to later ones, or redirect. It counts the
/// connections it accepted and keeps each request's head.
public final class ScriptedHTTPServer: @unchecked Sendable {
    public struct Answer: Sendable {
        public var status: String
        public var headers: [(String, String)]
        public var body: [UInt8]

        public init(status: String = "200 OK", headers: [(String, String)] = [], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public static func file(_ text: String) -> Answer { Answer(body: Array(text.utf8)) }
        public static func redirect(to location: String, status: String = "302 Found") -> Answer {
            Answer(status: status, headers: [("Location", location)], body: Array("moved: internal detail".utf8))
        }
    }

    public let port: UInt16
    /// The address it listens on, as a URL host (`127.0.0.1`, `[::1]`).
    public let host: String
    private let fd: Int32
    private let script: @Sendable (Int) -> Answer
    private let lock = NSLock()
    private var accepted = 0
    private var heads: [String] = []
    private var closed = false

    public enum Failure: Error { case cannotListen }

    /// Listens on `address` (an IPv4 or IPv6 loopback literal) on a free port.
    public init(address: String = "127.0.0.1", script: @escaping @Sendable (Int) -> Answer) throws {
        self.script = script
        let v6 = address.contains(":")
        host = v6 ? "[\(address)]" : address
        fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.cannotListen }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var bound: UInt16?
        if v6 {
            var addr = sockaddr_in6()
            addr.sin6_family = sa_family_t(AF_INET6)
            inet_pton(AF_INET6, address, &addr.sin6_addr)
            bound = Self.bindAndListen(fd, &addr) { UInt16(bigEndian: $0.sin6_port) }
        } else {
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, address, &addr.sin_addr)
            bound = Self.bindAndListen(fd, &addr) { UInt16(bigEndian: $0.sin_port) }
        }
        guard let bound else { close(fd); throw Failure.cannotListen }
        port = bound
        Thread.detachNewThread { [self] in self.serve() }
    }

    /// Serves `first` to the first request and `later` to every other.
    public convenience init(address: String = "127.0.0.1", first: Answer, later: Answer) throws {
        try self.init(address: address) { index in index == 0 ? first : later }
    }

    public func url(_ path: String = "/secret-path/file.bin") -> String { "http://\(host):\(port)\(path)" }
    public var connections: Int { lock.withLock { accepted } }
    public var requestHeads: [String] { lock.withLock { heads } }

    public func stop() {
        lock.withLock {
            guard !closed else { return }
            closed = true
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    deinit { stop() }

    private static func bindAndListen<A>(_ fd: Int32, _ addr: inout A, port: (A) -> UInt16) -> UInt16? {
        let size = socklen_t(MemoryLayout<A>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Bool in
                var length = size
                return bind(fd, raw, size) == 0 && listen(fd, 16) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        return ok ? port(addr) : nil
    }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { return }
            let index: Int = lock.withLock { accepted += 1; return accepted - 1 }
            var buffer = [UInt8](repeating: 0, count: 8192)
            var request: [UInt8] = []
            while request.count < 65536, !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
                let n = read(client, &buffer, buffer.count)
                if n <= 0 { break }
                request += buffer[0..<n]
            }
            lock.withLock { heads.append(String(decoding: request, as: UTF8.self)) }
            let answer = script(index)
            var head = "HTTP/1.1 \(answer.status)\r\n"
            for (name, value) in answer.headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(answer.body.count)\r\nConnection: close\r\n\r\n"
            let bytes = Array(head.utf8) + answer.body
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                offset += n
            }
            close(client)
        }
    }
}
