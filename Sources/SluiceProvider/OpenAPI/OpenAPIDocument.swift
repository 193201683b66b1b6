import HTTPTypes
import SluiceCore

/// The OpenAPI 3.1 description of every route in `RouteTable`, answered at `/openapi.json`.
enum OpenAPIDocument {
    static func build(version: String, operations: [RouteSpec] = RouteTable.operations) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for op in operations where op.openAPI {
            paths[op.path, default: [:]][op.method.rawValue.lowercased()] = operation(op)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string("Sluice provider API"), "version": .string(version),
                             "description": .string("Ocean Protocol's provider API for Compute-to-Data, and Sluice's own publishing and ledger routes.")]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object(["schemas": OpenAPISchema.components]),
        ])
    }

    static func operation(_ op: RouteSpec) -> JSONValue {
        var parameters: [JSONValue] = op.query.map { q in
            .object(["name": .string(q.name), "in": .string("query"), "required": .bool(q.required),
                     "description": .string(q.description), "schema": OpenAPISchema.parameter(q.name)])
        }
        for name in op.pathParameters {
            parameters.append(.object(["name": .string(name), "in": .string("path"), "required": .bool(true),
                                       "schema": .object(["type": .string("string")])]))
        }
        var responses: [String: JSONValue] = [:]
        for (code, description) in op.statuses {
            let content = code.hasPrefix("2") ? successContent(op.success) : ["application/json": .object(["schema": OpenAPISchema.ref("Error")])]
            responses[code] = .object(["description": .string(description), "content": .object(content)])
        }
        var operation: [String: JSONValue] = [
            "operationId": .string(op.id), "summary": .string(op.summary), "responses": .object(responses),
        ]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body = op.body { operation["requestBody"] = requestBody(body) }
        return .object(operation)
    }

    static func successContent(_ success: RouteSpec.Success) -> [String: JSONValue] {
        switch success {
        case .json(let schema): return ["application/json": .object(["schema": schema])]
        case .text: return ["text/plain": .object(["schema": .object(["type": .string("string")])])]
        case .file: return ["*/*": .object(["schema": .object(["type": .string("string"), "format": .string("binary")])])]
        }
    }

    static func requestBody(_ body: RouteSpec.RequestBody) -> JSONValue {
        let content: [String: JSONValue]
        switch body {
        case .json(let schema): content = ["application/json": .object(["schema": schema])]
        case .bytes: content = ["application/octet-stream": .object(["schema": .object(["type": .string("string"), "format": .string("binary")])])]
        }
        return .object(["required": .bool(true), "content": .object(content)])
    }
}
