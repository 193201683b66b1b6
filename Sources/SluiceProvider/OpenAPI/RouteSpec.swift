import Hummingbird
import SluiceCore

/// One route the node serves, as the router's 405s, `GET /` and `/openapi.json` know it.
struct RouteSpec: Sendable {
    let method: HTTPRequest.Method
    /// OpenAPI form, `{did}` for path parameters.
    let path: String
    /// The operationId, and the name `GET /` lists the route by.
    let id: String
    let summary: String
    /// Listed in `GET /`'s `serviceEndpoints`.
    var discovered = true
    var query: [QueryParameter] = []
    var body: RequestBody? = nil
    /// A signed request: 401 for a bad signature or a nonce already used.
    var signed = false
    /// One of the embedded ledger's routes: 409 on a node that follows a chain.
    var ledger = false
    /// The answers particular to this route: its successes and the refusals its rules make.
    var responses: [String: String] = ["200": "Success"]
    var success: Success = .json(OpenAPISchema.ref("Any"))
    /// In `/openapi.json`: every route but the dashboard's pages, which are HTML for
    /// people, not an API (they still get 405s from this table).
    var openAPI = true

    struct QueryParameter: Sendable {
        let name: String
        let required: Bool
        let description: String
    }

    enum RequestBody: Sendable {
        case json(JSONValue)
        case bytes
    }

    enum Success: Sendable {
        case json(JSONValue)
        case text
        case file
    }

    /// The router's form of the path, `:did` for path parameters.
    var routerPath: String {
        "/" + path.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : $0 }.joined(separator: "/")
    }

    var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }

    /// Every status the route can answer: its own, those that follow from how it is
    /// called, and those any request can meet before a route runs (the HTTP edge's 400 for
    /// broken framing or limits, 413 for a body over the limit, 405 for another method).
    var statuses: [String: String] {
        var all = responses
        func add(_ code: String, _ description: String) {
            all[code] = all[code].map { $0 == description ? $0 : "\($0); \(description)" } ?? description
        }
        add("400", "Malformed request, parameters or body")
        if !pathParameters.isEmpty { add("404", "No such resource") }
        if signed { add("401", "Bad signature or a nonce already used") }
        if ledger { add("409", "This node follows a chain: use the chain") }
        add("405", "Another method on this path")
        add("413", "Request body over this node's limit")
        return all
    }
}
