import SluiceCore

/// The OpenAPI 3.1 description of every route the node serves, answered at
/// `/openapi.json`. A test compares it with the router's routes, so a route cannot be
/// added or removed without its description following.
enum OpenAPIDocument {
    struct Operation {
        let method: String
        /// OpenAPI form, `{did}` for path parameters.
        let path: String
        let id: String
        let summary: String
        var query: [(name: String, required: Bool, description: String)] = []
        var body: JSONValue? = nil
        var responses: [String: String] = ["200": "Success"]
        var responseSchema: JSONValue = ref("Any")
    }

    static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }

    static let signedQuery: [(String, Bool, String)] = [
        ("consumerAddress", true, "The caller's address, as signed"),
        ("nonce", true, "Greater than the last nonce accepted for the address"),
        ("signature", true, "Personal-sign signature, 65 bytes hex"),
    ]

    /// The embedded ledger's routes on a node that follows a chain.
    static let followsChain = "This node follows a chain: use the chain"

    static let operations: [Operation] = [
        Operation(method: "get", path: "/", id: "discovery", summary: "Provider addresses, chains and service endpoints",
                  responseSchema: ref("Discovery")),
        Operation(method: "get", path: "/openapi.json", id: "openapi", summary: "This document"),
        Operation(method: "get", path: "/api/services/nonce", id: "nonce", summary: "The last nonce accepted for an address",
                  query: [("userAddress", true, "Address")], responses: ["200": "Success", "400": "Malformed address"],
                  responseSchema: .object(["type": .string("object"), "properties": .object(["nonce": .object(["type": .string("integer")])])])),
        Operation(method: "get", path: "/api/services/computeEnvironments", id: "computeEnvironments", summary: "Compute environments",
                  query: [("chainId", false, "Chain id")], responseSchema: .object(["type": .string("array"), "items": ref("Environment")])),
        Operation(method: "post", path: "/api/services/initializeCompute", id: "initializeCompute",
                  summary: "Orders to reuse or provider fees to order with", body: ref("InitializeCompute"),
                  responses: ["200": "Success", "400": "Invalid input", "403": "The asset's state forbids ordering",
                              "404": "Unknown asset, service or environment", "503": "The chain does not answer"]),
        Operation(method: "post", path: "/api/services/compute", id: "computeStart", summary: "Start a compute job",
                  body: ref("ComputeStart"),
                  responses: ["201": "Started", "400": "Invalid input", "401": "Bad signature or nonce", "403": "Not allowed",
                              "404": "Unknown asset or environment", "409": "Order already used", "429": "Queue full",
                              "503": "The chain does not answer"],
                  responseSchema: .object(["type": .string("array"), "items": ref("JobStatus")])),
        Operation(method: "get", path: "/api/services/compute", id: "computeStatus", summary: "The caller's jobs, newest first",
                  query: signedQuery + [("jobId", false, "Job id"), ("documentId", false, "Dataset DID")],
                  responses: ["200": "Success", "401": "Bad signature or nonce", "403": "Another consumer's job", "404": "Unknown job"],
                  responseSchema: .object(["type": .string("array"), "items": ref("JobStatus")])),
        Operation(method: "put", path: "/api/services/compute", id: "computeStop", summary: "Stop a job",
                  query: signedQuery + [("jobId", false, "Job id"), ("documentId", false, "Dataset DID")],
                  responses: ["200": "Success", "401": "Bad signature or nonce", "403": "Another consumer's job", "404": "Unknown job"],
                  responseSchema: .object(["type": .string("array"), "items": ref("JobStatus")])),
        Operation(method: "delete", path: "/api/services/compute", id: "computeDelete", summary: "Delete a job and its results",
                  query: signedQuery + [("jobId", false, "Job id"), ("documentId", false, "Dataset DID")],
                  responses: ["200": "Success", "401": "Bad signature or nonce", "403": "Another consumer's job", "404": "Unknown job"],
                  responseSchema: .object(["type": .string("array"), "items": ref("JobStatus")])),
        Operation(method: "get", path: "/api/services/computeResult", id: "computeResult", summary: "Stream one result file (Range supported)",
                  query: signedQuery + [("jobId", true, "Job id"), ("index", true, "Result index")],
                  responses: ["200": "The file", "206": "Part of the file", "403": "Another consumer's job", "404": "Unknown job or index",
                              "416": "Range not satisfiable"],
                  responseSchema: .object(["type": .string("string"), "format": .string("binary")])),
        Operation(method: "post", path: "/api/services/fileinfo", id: "fileinfo", summary: "Size, type and validity of an asset's files",
                  body: .object(["type": .string("object")]), responseSchema: .object(["type": .string("array")])),
        Operation(method: "post", path: "/api/services/encrypt", id: "encrypt", summary: "Encrypt bytes to the provider's key (ECIES)",
                  query: [("chainId", false, "Chain id")], body: .object(["type": .string("string"), "format": .string("binary")]),
                  responses: ["201": "0x hex of the ciphertext", "400": "Empty body or another chain"],
                  responseSchema: .object(["type": .string("string")])),
        Operation(method: "get", path: "/api/aquarius/assets/ddo/{did}", id: "resolveDDO", summary: "An asset's DDO",
                  responses: ["200": "Success", "404": "Unknown DID"], responseSchema: ref("DDO")),
        Operation(method: "get", path: "/api/aquarius/assets/metadata/{did}", id: "ddoMetadata", summary: "An asset's metadata section",
                  responses: ["200": "Success", "404": "Unknown DID"], responseSchema: .object(["type": .string("object")])),
        Operation(method: "post", path: "/api/aquarius/assets/ddo/validate", id: "validateDDO",
                  summary: "Check a DDO against Ocean's schema; a valid one gets its sha256 and the node's proof for setMetaData",
                  body: .object(["type": .string("object")]),
                  responses: ["200": "hash, publicKey, v, r, s", "400": "Not a DDO, or its problems by field (errors)", "413": "Body too large"],
                  responseSchema: ref("MetadataProof")),
        Operation(method: "post", path: "/api/aquarius/assets/query", id: "queryAssets",
                  summary: "Search assets with Elasticsearch's query DSL (query_string, match, term, terms, range, exists, bool; from, size, sort)",
                  body: .object(["type": .string("object")]),
                  responses: ["200": "Elasticsearch's envelope: hits.total, hits.hits[]._source", "400": "Not a query, or a part this cache does not support",
                              "413": "Body too large"],
                  responseSchema: ref("SearchResult")),
        Operation(method: "post", path: "/api/sluice/assets", id: "publishAsset", summary: "Publish an asset (action publish)",
                  body: ref("SignedWrite"), responses: ["201": "The DDO", "400": "Invalid asset", "401": "Bad signature or nonce", "409": followsChain],
                  responseSchema: ref("DDO")),
        Operation(method: "put", path: "/api/sluice/assets/{did}", id: "updateAsset", summary: "Update an asset (action update)",
                  body: ref("SignedWrite"), responses: ["200": "The DDO", "403": "Not the owner", "404": "Unknown DID", "409": followsChain],
                  responseSchema: ref("DDO")),
        Operation(method: "post", path: "/api/sluice/assets/{did}/trust", id: "trustAlgorithm",
                  summary: "Trust an algorithm or set trusted publishers (action trust)", body: ref("SignedWrite"),
                  responses: ["200": "The DDO", "403": "Not the owner", "404": "Unknown asset or service", "409": followsChain], responseSchema: ref("DDO")),
        Operation(method: "get", path: "/api/sluice/tokens/{token}", id: "datatoken", summary: "A datatoken",
                  responses: ["200": "Success", "404": "Unknown datatoken", "409": followsChain]),
        Operation(method: "get", path: "/api/sluice/tokens/{token}/balance", id: "balance", summary: "A holder's balance",
                  query: [("holder", true, "Address")],
                  responses: ["200": "Success", "409": followsChain]),
        Operation(method: "post", path: "/api/sluice/tokens/{token}/mint", id: "mint", summary: "Mint datatokens (action mint)",
                  body: ref("SignedWrite"), responses: ["200": "New balance", "403": "Not the minter", "409": followsChain]),
        Operation(method: "post", path: "/api/sluice/tokens/{token}/transfer", id: "transfer", summary: "Transfer tokens (action transfer)",
                  body: ref("SignedWrite"), responses: ["200": "Sender's balance", "400": "Balance too low", "409": followsChain]),
        Operation(method: "post", path: "/api/sluice/orders", id: "startOrder", summary: "Order a service (action startOrder)",
                  body: ref("SignedWrite"), responses: ["201": "The order", "400": "Invalid order or balance too low", "409": followsChain]),
        Operation(method: "post", path: "/api/sluice/orders/{tx}/reuse", id: "reuseOrder", summary: "Renew an order's provider fee (action reuseOrder)",
                  body: ref("SignedWrite"), responses: ["201": "The new order", "404": "Unknown order", "409": followsChain]),
        Operation(method: "get", path: "/api/sluice/orders/{tx}", id: "order", summary: "An order", responses: ["200": "Success", "404": "Unknown order", "409": followsChain]),
    ]

    static func build(version: String) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for op in operations {
            var parameters: [JSONValue] = op.query.map { q in
                .object(["name": .string(q.name), "in": .string("query"), "required": .bool(q.required),
                         "description": .string(q.description), "schema": .object(["type": .string("string")])])
            }
            for segment in op.path.split(separator: "/") where segment.hasPrefix("{") {
                parameters.append(.object(["name": .string(String(segment.dropFirst().dropLast())), "in": .string("path"),
                                           "required": .bool(true), "schema": .object(["type": .string("string")])]))
            }
            var responses: [String: JSONValue] = [:]
            for (code, description) in op.responses {
                var response: [String: JSONValue] = ["description": .string(description)]
                if code.hasPrefix("2") {
                    response["content"] = .object(["application/json": .object(["schema": op.responseSchema])])
                } else {
                    response["content"] = .object(["application/json": .object(["schema": ref("Error")])])
                }
                responses[code] = .object(response)
            }
            var operation: [String: JSONValue] = [
                "operationId": .string(op.id), "summary": .string(op.summary), "responses": .object(responses),
            ]
            if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
            if let body = op.body {
                operation["requestBody"] = .object(["required": .bool(true),
                                                    "content": .object(["application/json": .object(["schema": body])])])
            }
            paths[op.path, default: [:]][op.method] = .object(operation)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string("Sluice provider API"), "version": .string(version),
                             "description": .string("Ocean Protocol's provider API for Compute-to-Data, and Sluice's own publishing and ledger routes.")]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object(["schemas": schemas]),
        ])
    }

    static func object(_ properties: [String: String], required: [String] = []) -> JSONValue {
        var o: [String: JSONValue] = [
            "type": .string("object"),
            "properties": .object(properties.mapValues { .object(["type": .string($0)]) }),
        ]
        if !required.isEmpty { o["required"] = .array(required.map { .string($0) }) }
        return .object(o)
    }

    static let schemas: JSONValue = .object([
        "Any": .object([:]),
        "Error": object(["error": "string", "field": "string"], required: ["error"]),
        "MetadataProof": .object([
            "type": .string("object"), "required": .array(["hash", "publicKey", "v", "r", "s"].map { .string($0) }),
            "properties": .object([
                "hash": .object(["type": .string("string")]), "publicKey": .object(["type": .string("string")]),
                "v": .object(["type": .string("integer")]),
                "r": .object(["type": .string("array"), "items": .object(["type": .string("string")])]),
                "s": .object(["type": .string("array"), "items": .object(["type": .string("string")])]),
            ]),
        ]),
        "SearchResult": .object([
            "type": .string("object"), "required": .array([.string("hits")]),
            "properties": .object([
                "took": .object(["type": .string("integer")]),
                "hits": .object(["type": .string("object"), "properties": .object([
                    "total": object(["value": "integer", "relation": "string"]),
                    "hits": .object(["type": .string("array"), "items": object(["_id": "string", "_score": "number", "_source": "object"])]),
                ])]),
            ]),
        ]),
        "Discovery": object(["software": "string", "version": "string", "chainIds": "array", "providerAddresses": "object",
                             "providerAddress": "string", "serviceEndpoints": "object", "ledger": "string"],
                            required: ["providerAddresses", "serviceEndpoints", "ledger"]),
        "Environment": object(["id": "string", "desc": "string", "cpuType": "string", "nCPU": "number", "gpuType": "string",
                               "nGPU": "integer", "ramGB": "number", "diskGB": "number", "priceMin": "number", "currentJobs": "integer",
                               "maxJobs": "integer", "maxJobDuration": "integer", "storageExpiry": "integer",
                               "consumerAddress": "string", "feeToken": "string", "free": "boolean", "lastSeen": "string"]),
        "InitializeCompute": object(["datasets": "array", "algorithm": "object", "compute": "object", "consumerAddress": "string"],
                                    required: ["datasets", "algorithm", "compute", "consumerAddress"]),
        "ComputeStart": object(["consumerAddress": "string", "nonce": "integer", "signature": "string", "environment": "string",
                                "dataset": "object", "algorithm": "object", "additionalDatasets": "array"],
                               required: ["consumerAddress", "nonce", "signature", "environment", "dataset", "algorithm"]),
        "JobStatus": object(["owner": "string", "documentId": "string", "jobId": "string", "dateCreated": "string",
                             "status": "integer", "statusText": "string", "algorithmLogUrl": "string", "resultsUrls": "array",
                             "resultsDid": "string", "results": "array", "inputDID": "array", "algoDID": "string",
                             "agreementId": "string", "environment": "string", "stopreq": "integer", "fileDigests": "array"]),
        "DDO": object(["@context": "array", "id": "string", "version": "string", "chainId": "integer", "nftAddress": "string",
                       "metadata": "object", "services": "array", "credentials": "object", "nft": "object", "datatokens": "array"]),
        "SignedWrite": object(["address": "string", "nonce": "integer", "signature": "string", "payload": "string"],
                              required: ["address", "nonce", "signature", "payload"]),
    ])
}
