import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceCore
import Testing
@testable import SluiceProvider

@Suite("The OpenAPI document")
struct OpenAPITests {
    /// `METHOD /path/:param` for both sources.
    static func normalized(_ method: String, _ path: String) -> String {
        let segments = path.split(separator: "/").map { s in
            s.hasPrefix("{") && s.hasSuffix("}") ? ":" + s.dropFirst().dropLast() : String(s)
        }
        return method.uppercased() + " /" + segments.joined(separator: "/")
    }

    @Test func documentsExactlyTheRoutesTheNodeServes() async throws {
        let t = try await TestNode()
        let router = try ProviderApplication.buildRouter(node: t.node)
        let served = Set(router.routes.map { Self.normalized($0.method.rawValue, "\($0.path)") })
        #expect(served.count > 20)
        try await t.test { client in
            let response = try await client.get("/openapi.json")
            #expect(response.status == .ok)
            let document = try #require(response.json)
            #expect(document["openapi"]?.stringValue == "3.1.0")
            let paths = try #require(document["paths"]?.objectValue)
            var documented = Set<String>()
            for (path, item) in paths {
                for method in item.objectValue?.keys ?? [:].keys { documented.insert(Self.normalized(method, path)) }
            }
            #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
            #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
        }
    }
}
