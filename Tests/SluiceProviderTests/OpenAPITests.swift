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
            // The dashboard's pages are HTML for people: served, in the route table, not in the document.
            let pages = Set(RouteTable.dashboardPages.map { Self.normalized($0.method.rawValue, $0.path) })
            #expect(!pages.isEmpty && pages.isSubset(of: served))
            #expect(served.subtracting(documented) == pages, "served but not documented: \(served.subtracting(documented).subtracting(pages).sorted())")
            #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
        }
    }

    @Test func everyOperationListsEveryStatusItCanAnswer() throws {
        let document = OpenAPIDocument.build(version: "test")
        let paths = try #require(document["paths"]?.objectValue)
        for route in RouteTable.operations where route.openAPI {
            let operation = try #require(paths[route.path]?[route.method.rawValue.lowercased()], "\(route.id)")
            let responses = try #require(operation["responses"]?.objectValue, "\(route.id)")
            let codes = Set(responses.keys)
            // What any request can meet at the HTTP edge, before a route runs.
            #expect(codes.isSuperset(of: ["400", "405", "413"]), "\(route.id): \(codes.sorted())")
            #expect(codes.contains { $0.hasPrefix("2") }, "\(route.id)")
            if route.signed { #expect(codes.contains("401"), "\(route.id)") }
            if route.ledger { #expect(codes.contains("409"), "\(route.id)") }
            if !route.pathParameters.isEmpty { #expect(codes.contains("404"), "\(route.id)") }
            for (code, response) in responses where !code.hasPrefix("2") {
                let schema = response["content"]?["application/json"]?["schema"]?["$ref"]?.stringValue
                #expect(schema == "#/components/schemas/Error", "\(route.id) \(code)")
            }
        }
    }
}
