import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceCore
import Testing
@testable import SluiceProvider

/// Requests that break HTTP's framing or limits, written byte by byte to a real node on a
/// loopback port: each gets the node's JSON answer and `Connection: close`, the node
/// closes its side, and the next connection is served as usual.
@Suite("The HTTP edge: framing errors and limits")
struct HTTPEdgeTests {
    static let limit = 1024

    /// Sends `request` on a fresh connection, checks the answer is a JSON refusal with
    /// `status` that closes the connection, then that a plain request still works.
    func expectRefusal(_ request: String, status: Int, containing words: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let t = try await TestNode(config: NodeConfig(maxRequestBodyBytes: Self.limit))
        try await t.test(.live) { client in
            let port = try #require(client.port)
            let (answer, closed) = try await RawConnection.onThread {
                let connection = try RawConnection(port: port)
                try connection.send(request)
                return (try connection.readAnswer(), try connection.nodeClosed())
            }
            #expect(answer.status == status, "\(answer.text)", sourceLocation: sourceLocation)
            #expect(answer.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
            #expect(answer.headers["connection"]?.lowercased() == "close", sourceLocation: sourceLocation)
            #expect(answer.errorMessage != nil, "\(answer.text)", sourceLocation: sourceLocation)
            if let words { #expect(answer.errorMessage?.contains(words) == true, "\(answer.text)", sourceLocation: sourceLocation) }
            #expect(closed, "the node kept the connection open", sourceLocation: sourceLocation)
            let next = try await RawConnection.onThread {
                let connection = try RawConnection(port: port)
                try connection.send("GET /api/services/nonce?userAddress=0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1 HTTP/1.1\r\nHost: node\r\n\r\n")
                return try connection.readAnswer()
            }
            #expect(next.status == 200 && next.text.contains("nonce"), "\(next.text)", sourceLocation: sourceLocation)
        }
    }

    static func chunked(_ path: String, chunks: [String], trailer: String = "0\r\n\r\n") -> String {
        let body = chunks.map { String($0.utf8.count, radix: 16) + "\r\n" + $0 + "\r\n" }.joined()
        return "POST \(path) HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + body + trailer
    }

    @Test(arguments: ["/api/services/fileinfo", "/api/services/encrypt", "/api/services/compute"])
    func aChunkedBodyOverTheLimitIs413(path: String) async throws {
        let chunks = Array(repeating: String(repeating: "a", count: 512), count: 4)
        try await expectRefusal(Self.chunked(path, chunks: chunks), status: 413, containing: "limit of \(Self.limit) bytes")
    }

    @Test func aDeclaredLengthOverTheLimitIs413BeforeTheBodyIsSent() async throws {
        try await expectRefusal("POST /api/services/fileinfo HTTP/1.1\r\nHost: node\r\nContent-Length: 100000\r\n\r\n",
                                status: 413, containing: "100000 bytes")
    }

    @Test func aMalformedChunkSizeIs400() async throws {
        try await expectRefusal(Self.chunked("/api/services/encrypt", chunks: [], trailer: "zz\r\nabc\r\n0\r\n\r\n"),
                                status: 400, containing: "chunk size")
    }

    /// The first chunk is a whole JSON object: the route must not act on it.
    @Test func aMalformedChunkAfterAGoodOneIs400() async throws {
        try await expectRefusal(Self.chunked("/api/services/encrypt", chunks: [#"{"a":1}"#], trailer: "xyz\r\n"),
                                status: 400, containing: "chunk size")
    }

    @Test func anInvalidContentLengthIs400() async throws {
        try await expectRefusal("POST /api/services/fileinfo HTTP/1.1\r\nHost: node\r\nContent-Length: ten\r\n\r\n", status: 400)
    }

    @Test func anOversizedQueryIs400() async throws {
        let query = String(repeating: "a", count: HTTPEdgeLimits.fieldBytes + 1)
        try await expectRefusal("GET /api/services/nonce?userAddress=\(query) HTTP/1.1\r\nHost: node\r\n\r\n",
                                status: 400, containing: "limits")
    }

    @Test func anOversizedHeaderIs400() async throws {
        let value = String(repeating: "b", count: HTTPEdgeLimits.fieldBytes + 1)
        try await expectRefusal("GET / HTTP/1.1\r\nHost: node\r\nX-Big: \(value)\r\n\r\n", status: 400, containing: "limits")
    }

    @Test func tooManyHeadersAre400() async throws {
        let headers = (0...HTTPEdgeLimits.headerCount).map { "X-H\($0): v\r\n" }.joined()
        try await expectRefusal("GET / HTTP/1.1\r\nHost: node\r\n\(headers)\r\n", status: 400, containing: "limits")
    }

    @Test func headersOverTheTotalAre400() async throws {
        let value = String(repeating: "c", count: HTTPEdgeLimits.fieldBytes - 100)
        let headers = (0..<(HTTPEdgeLimits.headerBytes / HTTPEdgeLimits.fieldBytes + 1)).map { "X-H\($0): \(value)\r\n" }.joined()
        try await expectRefusal("GET / HTTP/1.1\r\nHost: node\r\n\(headers)\r\n", status: 400, containing: "limits")
    }

    @Test func garbageIs400() async throws {
        try await expectRefusal("HELLO THERE\r\n\r\n", status: 400)
    }

    /// CONNECT would turn the connection into a tunnel: refused, closed, and the node
    /// goes on serving. (Answers to CONNECT carry no body, so this one has none.)
    @Test func connectIsRefusedAndClosed() async throws {
        let t = try await TestNode(config: NodeConfig(maxRequestBodyBytes: Self.limit))
        try await t.test(.live) { client in
            let port = try #require(client.port)
            let (answer, closed) = try await RawConnection.onThread {
                let connection = try RawConnection(port: port)
                try connection.send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\nGET / HTTP/1.1\r\nHost: node\r\n\r\n")
                return (try connection.readAnswer(), try connection.nodeClosed())
            }
            #expect(answer.status == 405)
            #expect(answer.headers["connection"]?.lowercased() == "close")
            #expect(closed)
            let next = try await client.execute(uri: "/", method: .get)
            #expect(next.status == .ok)
        }
    }

    /// Two requests and a chunked one on one kept-alive connection: the edge handler
    /// leaves good traffic alone.
    @Test func goodRequestsShareAConnection() async throws {
        let t = try await TestNode(config: NodeConfig(maxRequestBodyBytes: Self.limit))
        try await t.test(.live) { client in
            let port = try #require(client.port)
            let answers = try await RawConnection.onThread {
                let connection = try RawConnection(port: port)
                var answers: [RawConnection.Answer] = []
                for _ in 0..<2 {
                    try connection.send("GET / HTTP/1.1\r\nHost: node\r\n\r\n")
                    answers.append(try connection.readAnswer())
                }
                try connection.send(Self.chunked("/api/services/encrypt", chunks: [#"{"a":1}"#]))
                answers.append(try connection.readAnswer())
                return answers
            }
            #expect(answers.map(\.status) == [200, 200, 201])
            #expect(answers.allSatisfy { $0.headers["connection"]?.lowercased() != "close" })
        }
    }
}
