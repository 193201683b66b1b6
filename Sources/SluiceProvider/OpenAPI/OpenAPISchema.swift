import SluiceCore

/// The component schemas of `/openapi.json`.
enum OpenAPISchema {
    static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }

    static func object(_ properties: [String: String], required: [String] = []) -> JSONValue {
        var o: [String: JSONValue] = [
            "type": .string("object"),
            "properties": .object(properties.mapValues { .object(["type": .string($0)]) }),
        ]
        if !required.isEmpty { o["required"] = .array(required.map { .string($0) }) }
        return .object(o)
    }

    /// The schema of a query or path parameter, which follows from its name: the same name
    /// means the same thing on every route.
    static func parameter(_ name: String) -> JSONValue {
        func pattern(_ regex: String) -> JSONValue { .object(["type": .string("string"), "pattern": .string(regex)]) }
        switch name {
        case "userAddress", "consumerAddress", "holder", "token": return pattern("^0[xX][0-9a-fA-F]{40}$")
        case "did", "documentId": return pattern("^did:op:[0-9a-f]{64}$")
        case "tx": return pattern("^0x[0-9a-fA-F]{64}$")
        case "jobId": return pattern("^[0-9a-f]{32}$")
        case "signature": return pattern("^0x[0-9a-fA-F]{130}$")
        case "nonce", "index": return .object(["type": .string("integer"), "minimum": .integer(0)])
        case "chainId": return pattern("^[0-9]*$")
        default: return .object(["type": .string("string")])
        }
    }

    static func array(of items: JSONValue) -> JSONValue { .object(["type": .string("array"), "items": items]) }

    static let components: JSONValue = .object([
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
                             "providerAddress": "string", "serviceEndpoints": "object", "ledger": "string",
                             "replica": "string", "holdsIndexer": "boolean"],
                            required: ["providerAddresses", "serviceEndpoints", "ledger"]),
        "Health": object(["status": "string", "replica": "string", "database": "string", "holdsIndexer": "boolean"],
                         required: ["status", "replica", "database"]),
        "Environment": object(["id": "string", "desc": "string", "cpuType": "string", "nCPU": "number", "gpuType": "string",
                               "nGPU": "integer", "ramGB": "number", "diskGB": "number", "priceMin": "number", "currentJobs": "integer",
                               "maxJobs": "integer", "maxJobDuration": "integer", "storageExpiry": "integer",
                               "consumerAddress": "string", "feeToken": "string", "free": "boolean", "lastSeen": "string"]),
        "InitializeCompute": object(["datasets": "array", "algorithm": "object", "compute": "object", "consumerAddress": "string"],
                                    required: ["datasets", "algorithm", "compute", "consumerAddress"]),
        "ComputeStart": object(["consumerAddress": "string", "nonce": "integer", "signature": "string", "environment": "string",
                                "dataset": "object", "algorithm": "object", "additionalDatasets": "array"],
                               required: ["consumerAddress", "nonce", "signature", "environment", "dataset", "algorithm"]),
        "ComputeReview": object(["consumerAddress": "string", "nonce": "integer", "signature": "string", "jobId": "string",
                                 "decision": "string", "reason": "string"],
                                required: ["consumerAddress", "nonce", "signature", "jobId", "decision"]),
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
