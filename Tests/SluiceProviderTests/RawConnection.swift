import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection to a node on loopback, for bytes no HTTP client would send.
/// Blocking, with a receive timeout: each test sends a request or two and reads the answer.
final class RawConnection {
    struct Answer: Sendable {
        let status: Int
        /// Lowercased names.
        let headers: [String: String]
        let body: Data
        var errorMessage: String? {
            ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["error"] as? String
        }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    enum Failure: Error { case socket(Int32), closedEarly, malformed(String) }

    private let fd: Int32
    private var buffer = Data()

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.socket(errno) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure.socket(code)
        }
    }

    deinit { close(fd) }

    /// Writes all of `text`; a node that already closed its side does not kill the test (no SIGPIPE).
    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure.socket(errno) }
            sent += n
        }
    }

    /// Reads one response with a Content-Length body.
    func readAnswer() throws -> Answer {
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            guard try fill() else { throw Failure.closedEarly }
        }
        let headEnd = buffer.range(of: separator)!
        let head = String(decoding: buffer[..<headEnd.lowerBound], as: UTF8.self)
        buffer.removeSubrange(..<headEnd.upperBound)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure.malformed(head) }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < length {
            guard try fill() else { throw Failure.closedEarly }
        }
        let body = buffer.prefix(length)
        buffer.removeFirst(length)
        return Answer(status: status, headers: headers, body: Data(body))
    }

    /// True when the node closes its side (reads end) before the timeout, with nothing more sent.
    func nodeClosed() throws -> Bool {
        while true {
            guard buffer.isEmpty else { return false }
            guard try fill() else { return true }
        }
    }

    /// Reads what is there; false at the end of the stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 { throw Failure.socket(errno) }
        if n == 0 { return false }
        buffer.append(contentsOf: chunk[..<n])
        return true
    }
}

extension RawConnection {
    /// Runs blocking socket work on a thread of its own: on the cooperative pool it would
    /// starve the node's request handling it is waiting for.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.start()
        }
    }
}
