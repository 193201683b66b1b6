import HTTPTypes
import SluiceCore

/// Every route the node serves. The router's 405s, `GET /`'s `serviceEndpoints` and
/// `/openapi.json` are all made from this table; a test keeps it equal to the router's
/// routes, so a route cannot be added or removed without its description following.
enum RouteTable {
    typealias Q = RouteSpec.QueryParameter

    static let signedQuery: [Q] = [
        Q(name: "consumerAddress", required: true, description: "The caller's address, as signed"),
        Q(name: "nonce", required: true, description: "Greater than the last nonce accepted for the address"),
        Q(name: "signature", required: true, description: "Personal-sign signature, 65 bytes hex"),
    ]
    static let jobQuery = signedQuery + [Q(name: "jobId", required: false, description: "Job id"),
                                         Q(name: "documentId", required: false, description: "Dataset DID")]
    static let chainQuery = [Q(name: "chainId", required: false, description: "Chain id")]
    static let jobs = OpenAPISchema.array(of: OpenAPISchema.ref("JobStatus"))
    static let signedWrite = RouteSpec.RequestBody.json(OpenAPISchema.ref("SignedWrite"))
    static let jobRefusals = ["200": "Success", "403": "Another consumer's job", "404": "Unknown job"]

    static let operations: [RouteSpec] = [
        RouteSpec(method: .get, path: "/", id: "discovery", summary: "Provider addresses, chains and service endpoints",
                  discovered: false, success: .json(OpenAPISchema.ref("Discovery"))),
        RouteSpec(method: .get, path: "/openapi.json", id: "openapi", summary: "This document", discovered: false),
        RouteSpec(method: .get, path: Paths.nonce, id: "nonce", summary: "The last nonce accepted for an address",
                  query: [Q(name: "userAddress", required: true, description: "Address")],
                  success: .json(OpenAPISchema.object(["nonce": "integer"], required: ["nonce"]))),
        RouteSpec(method: .get, path: Paths.computeEnvironments, id: "computeEnvironments", summary: "Compute environments",
                  query: chainQuery, success: .json(OpenAPISchema.array(of: OpenAPISchema.ref("Environment")))),
        RouteSpec(method: .post, path: Paths.compute, id: "computeStart", summary: "Start a compute job",
                  body: .json(OpenAPISchema.ref("ComputeStart")), signed: true,
                  responses: ["201": "Started", "403": "Not allowed", "404": "Unknown asset or environment",
                              "409": "Order already used", "429": "Queue full", "503": "The chain does not answer or the node is stopping"],
                  success: .json(jobs)),
        RouteSpec(method: .get, path: Paths.compute, id: "computeStatus", summary: "The caller's jobs, newest first",
                  query: jobQuery, signed: true, responses: jobRefusals, success: .json(jobs)),
        RouteSpec(method: .put, path: Paths.compute, id: "computeStop", summary: "Stop a job",
                  query: jobQuery, signed: true, responses: jobRefusals, success: .json(jobs)),
        RouteSpec(method: .delete, path: Paths.compute, id: "computeDelete", summary: "Delete a job and its results",
                  query: jobQuery, signed: true, responses: jobRefusals, success: .json(jobs)),
        RouteSpec(method: .get, path: Paths.computeResult, id: "computeResult", summary: "Stream one result file (Range supported)",
                  query: signedQuery + [Q(name: "jobId", required: true, description: "Job id"),
                                        Q(name: "index", required: true, description: "Result index")],
                  signed: true,
                  responses: ["200": "The file", "206": "Part of the file", "403": "Another consumer's job",
                              "404": "Unknown job or index", "416": "Range not satisfiable"],
                  success: .file),
        RouteSpec(method: .post, path: Paths.initializeCompute, id: "initializeCompute",
                  summary: "Orders to reuse or provider fees to order with", body: .json(OpenAPISchema.ref("InitializeCompute")),
                  responses: ["200": "Success", "403": "The asset's state forbids ordering",
                              "404": "Unknown asset, service or environment", "503": "The chain does not answer"]),
        RouteSpec(method: .post, path: Paths.fileinfo, id: "fileinfo", summary: "Size, type and validity of an asset's files",
                  body: .json(.object(["type": .string("object")])),
                  responses: ["200": "Success", "404": "Unknown asset or service"],
                  success: .json(.object(["type": .string("array")]))),
        RouteSpec(method: .post, path: Paths.encrypt, id: "encrypt", summary: "Encrypt bytes to the provider's key (ECIES)",
                  query: chainQuery, body: .bytes, responses: ["201": "0x hex of the ciphertext"], success: .text),
        RouteSpec(method: .get, path: Paths.ddo + "/{did}", id: "resolveDDO", summary: "An asset's DDO",
                  responses: ["200": "Success", "404": "Unknown DID"], success: .json(OpenAPISchema.ref("DDO"))),
        RouteSpec(method: .get, path: Paths.metadata + "/{did}", id: "ddoMetadata", summary: "An asset's metadata section",
                  responses: ["200": "Success", "404": "Unknown DID"], success: .json(.object(["type": .string("object")]))),
        RouteSpec(method: .post, path: Paths.validateDDO, id: "validateDDO",
                  summary: "Check a DDO against Ocean's schema; a valid one gets its sha256 and the node's proof for setMetaData",
                  body: .json(.object(["type": .string("object")])),
                  responses: ["200": "hash, publicKey, v, r, s", "400": "Not a DDO, or its problems by field (errors)"],
                  success: .json(OpenAPISchema.ref("MetadataProof"))),
        RouteSpec(method: .post, path: Paths.query, id: "queryAssets",
                  summary: "Search assets with Elasticsearch's query DSL (query_string, match, term, terms, range, exists, bool; from, size, sort)",
                  body: .json(.object(["type": .string("object")])),
                  responses: ["200": "Elasticsearch's envelope: hits.total, hits.hits[]._source", "400": "Not a query, or a part this cache does not support"],
                  success: .json(OpenAPISchema.ref("SearchResult"))),
        RouteSpec(method: .post, path: Paths.sluiceAssets, id: "publishAsset", summary: "Publish an asset (action publish)",
                  body: signedWrite, signed: true, ledger: true,
                  responses: ["201": "The DDO", "409": "The asset exists already"], success: .json(OpenAPISchema.ref("DDO"))),
        RouteSpec(method: .put, path: Paths.sluiceAssets + "/{did}", id: "updateAsset", summary: "Update an asset (action update)",
                  body: signedWrite, signed: true, ledger: true,
                  responses: ["200": "The DDO", "403": "Not the owner", "404": "Unknown DID"], success: .json(OpenAPISchema.ref("DDO"))),
        RouteSpec(method: .post, path: Paths.sluiceAssets + "/{did}/trust", id: "trustAlgorithm",
                  summary: "Trust an algorithm or set trusted publishers (action trust)", body: signedWrite, signed: true, ledger: true,
                  responses: ["200": "The DDO", "403": "Not the owner", "404": "Unknown asset or service"],
                  success: .json(OpenAPISchema.ref("DDO"))),
        RouteSpec(method: .get, path: Paths.sluiceTokens + "/{token}", id: "datatoken", summary: "A datatoken", ledger: true,
                  responses: ["200": "Success", "404": "Unknown datatoken"]),
        RouteSpec(method: .get, path: Paths.sluiceTokens + "/{token}/balance", id: "balance", summary: "A holder's balance",
                  query: [Q(name: "holder", required: true, description: "Address")], ledger: true),
        RouteSpec(method: .post, path: Paths.sluiceTokens + "/{token}/mint", id: "mint", summary: "Mint datatokens (action mint)",
                  body: signedWrite, signed: true, ledger: true, responses: ["200": "New balance", "403": "Not the minter"]),
        RouteSpec(method: .post, path: Paths.sluiceTokens + "/{token}/transfer", id: "transfer", summary: "Transfer tokens (action transfer)",
                  body: signedWrite, signed: true, ledger: true, responses: ["200": "Sender's balance"]),
        RouteSpec(method: .post, path: Paths.sluiceOrders, id: "startOrder", summary: "Order a service (action startOrder)",
                  body: signedWrite, signed: true, ledger: true, responses: ["201": "The order", "404": "Unknown datatoken or asset"]),
        RouteSpec(method: .post, path: Paths.sluiceOrders + "/{tx}/reuse", id: "reuseOrder",
                  summary: "Renew an order's provider fee (action reuseOrder)", body: signedWrite, signed: true, ledger: true,
                  responses: ["201": "The new order", "403": "Not the order's payer or consumer", "404": "Unknown order"]),
        RouteSpec(method: .get, path: Paths.sluiceOrders + "/{tx}", id: "order", summary: "An order", ledger: true,
                  responses: ["200": "Success", "404": "Unknown order"]),
        RouteSpec(method: .get, path: Paths.metrics, id: "metrics",
                  summary: "Prometheus metrics (text format); with operatorTokenFile set, the operator's token unless metricsPublic",
                  discovered: false, responses: ["200": "Prometheus text format", "401": "No or a wrong operator token"], success: .text),
    ] + dashboardPages

    /// The dashboard's pages (HTML; not in `/openapi.json`). 404 when no operator token is configured.
    static let dashboardPages: [RouteSpec] = [
        RouteSpec(method: .get, path: Paths.dashboard, id: "dashboard", summary: "Environments and disk", discovered: false, openAPI: false),
        RouteSpec(method: .get, path: Paths.dashboard + "/jobs", id: "dashboardJobs", summary: "Jobs by status, owner, dataset and time",
                  discovered: false, openAPI: false),
        RouteSpec(method: .get, path: Paths.dashboard + "/jobs/{jobId}", id: "dashboardJob", summary: "One job in full",
                  discovered: false, openAPI: false),
        RouteSpec(method: .get, path: Paths.dashboard + "/assets", id: "dashboardAssets", summary: "Assets and their trusted algorithms",
                  discovered: false, openAPI: false),
        RouteSpec(method: .get, path: Paths.dashboard + "/login", id: "dashboardLoginForm", summary: "The login form",
                  discovered: false, openAPI: false),
        RouteSpec(method: .post, path: Paths.dashboard + "/login", id: "dashboardLogin", summary: "Log in with the operator token",
                  discovered: false, openAPI: false),
        RouteSpec(method: .post, path: Paths.dashboard + "/logout", id: "dashboardLogout", summary: "Log out",
                  discovered: false, openAPI: false),
    ]
}
