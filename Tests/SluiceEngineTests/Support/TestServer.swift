import Foundation

/// A minimal TCP server on 127.0.0.1 for fetch and network tests. Each connection gets
/// `response` after the request headers arrive, or nothing at all when it is nil.
final class TestServer: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32
    private let response: [UInt8]?
    private let lock = NSLock()
    private var accepted = 0
    private var held: [Int32] = []
    private var closed = false

    init(response: [UInt8]?) throws {
        var port: UInt16 = 0
        self.response = response
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw ServerError.cannotListen }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        self.port = port
        Thread.detachNewThread { [self] in self.serve() }
    }

    static func http(body: [UInt8], status: String = "200 OK", headers: String = "") throws -> TestServer {
        let head = "HTTP/1.1 \(status)\r\n\(headers)Content-Length: \(body.count)\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
        return try TestServer(response: Array(head.utf8) + body)
    }

    var url: String { "http://127.0.0.1:\(port)/secret-dataset-path/file.bin" }
    var connections: Int { lock.withLock { accepted } }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { return }
            lock.withLock { accepted += 1 }
            guard let response else {
                lock.withLock { held.append(client) }
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 8192)
            var request: [UInt8] = []
            while !request.ends(with: Array("\r\n\r\n".utf8)) {
                let n = read(client, &buffer, buffer.count)
                if n <= 0 { break }
                request += buffer[0..<n]
            }
            var offset = 0
            while offset < response.count {
                let n = response[offset...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                offset += n
            }
            close(client)
        }
    }

    func stop() {
        lock.withLock {
            guard !closed else { return }
            closed = true
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
            held.forEach { close($0) }
        }
    }

    enum ServerError: Error { case cannotListen }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
