import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SluiceCore
import SluiceCrypto
@testable import SluiceProvider
import Testing

@Suite("fileinfo")
struct FileInfoTests {
    @Test func reportsSizeTypeAndChecksumWithoutTheLocation() async throws {
        let t = try await TestNode()
        try await t.test { client in
            let s = try await ComputeScenario.make(t, client)
            let response = try await client.postJSON("/api/services/fileinfo", .object([
                "did": .string(s.dataset.id.text), "serviceId": .string("compute"), "checksum": .integer(1)]))
            #expect(response.status == .ok)
            let info = try #require(response.json?.arrayValue?.first)
            let contents = "x,y\n1,2\n3,4\n5,6\n"
            #expect(info["valid"] == .bool(true))
            #expect(info["index"] == .integer(0))
            #expect(info["contentLength"]?.stringValue == String(contents.utf8.count))
            #expect(info["contentType"]?.stringValue == "text/csv")
            #expect(info["checksum"]?.stringValue == SHA256Hex.of(contents))
            #expect(!response.text.contains("published"), "the file's path never leaves the node")

            // A url file object checked before publishing: nothing answers there.
            let unreachable = try await client.postJSON("/api/services/fileinfo", .object([
                "type": .string("url"), "url": .string("http://127.0.0.1:9/nothing.csv"), "method": .string("GET")]))
            #expect(unreachable.status == .ok)
            #expect(unreachable.json?.arrayValue?.first?["valid"] == .bool(false))
            #expect(!unreachable.text.contains("127.0.0.1:9"))

            let unknown = try await client.postJSON("/api/services/fileinfo", .object([
                "did": .string("did:op:" + String(repeating: "1", count: 64)), "serviceId": .string("compute")]))
            #expect(unknown.status == .notFound)
            let local = try await client.postJSON("/api/services/fileinfo", .object(["type": .string("local"), "path": .string("/etc/shadow")]))
            #expect(local.status == .badRequest, "local files cannot be probed from outside")
        }
    }
}
