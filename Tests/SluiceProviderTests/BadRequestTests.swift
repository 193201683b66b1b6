import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceCore
import Testing
@testable import SluiceProvider

@Suite("Bad requests get JSON 4xx answers")
struct BadRequestTests {
    @Test(arguments: ["/nope", "/api", "/api/services", "/api/services/unknown", "/%2e%2e/etc/passwd", "/api/services/nonce/extra"])
    func unknownRoutesAre404(path: String) async throws {
        let t = try await TestNode()
        try await t.test { client in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.json?["error"]?.stringValue != nil)
        }
    }

    @Test(arguments: [HTTPRequest.Method.post, .put, .delete, .patch])
    func wrongMethodsAre405WithAllow(method: HTTPRequest.Method) async throws {
        let t = try await TestNode()
        try await t.test { client in
            for path in ["/", "/api/services/nonce", "/api/services/computeEnvironments"] {
                let response = try await client.execute(uri: path, method: method)
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.headers[.allow] == "GET")
                #expect(response.json?["error"]?.stringValue?.contains("GET") == true)
            }
        }
    }

    @Test func hugeBodiesAre413() async throws {
        let config = NodeConfig(maxRequestBodyBytes: 4096)
        let t = try await TestNode(config: config)
        try await t.test { client in
            let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 64 * 1024)
            let response = try await client.execute(uri: "/api/services/nonce", method: .post, body: body)
            #expect(response.status == .contentTooLarge)
            #expect(response.json?["error"]?.stringValue?.contains("4096") == true)
        }
    }

    @Test func unreadableContentLengthIs400() async throws {
        let t = try await TestNode()
        try await t.test { client in
            let response = try await client.execute(uri: "/", method: .get, headers: [.contentLength: "lots"])
            #expect(response.status.code < 500)
        }
    }
}
