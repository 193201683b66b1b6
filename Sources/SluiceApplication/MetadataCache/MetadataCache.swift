import Foundation
public import SluiceCore
import SluiceCrypto
public import SluiceLedger

/// The metadata cache Ocean's clients call (Aquarius's routes): resolve, validate, search.
/// Answers are Aquarius's shapes, since ocean-lib reads some of them by their text.
public struct MetadataCache: Sendable {
    let assets: any AssetStore
    let search: any AssetSearchStore
    let key: PrivateKey
    let chainId: Int

    public init(node: SluiceNode) {
        assets = node.assets
        search = node.search
        key = node.providerKey
        chainId = node.config.chainId
    }

    /// ocean-lib's `ddo_exists` looks for exactly this sentence to decide a DID is free.
    static func unknown(_ did: String) -> RequestError {
        .notFound("Asset DID \(did) not found in Elasticsearch.", field: "did")
    }

    public func ddo(_ didText: String) async throws -> DDO {
        guard let did = DID(didText) else {
            throw RequestError.badRequest("did must be did:op: followed by 64 lowercase hex digits", field: "did")
        }
        guard let ddo = try await assets.asset(did) else { throw Self.unknown(did.text) }
        return ddo
    }

    /// Checks a DDO before its publisher sends it on chain; signs its hash when it is valid.
    public func validate(_ document: [UInt8]) throws -> MetadataProof {
        guard let json = try? JSONValue.parse(document), json.objectValue != nil else {
            throw RequestError.badRequest("the body must be a DDO: a JSON object")
        }
        var problems = DDOValidation.problems(in: json)
        if let chain = json["chainId"]?.int64Value, chain != Int64(chainId) {
            problems.append(.init(path: "chainId", message: "is \(chain), but this node serves chain \(chainId)"))
        }
        guard problems.isEmpty else { throw InvalidDDO(problems: problems) }
        return MetadataProof.sign(document: document, key: key)
    }

    public func query(_ body: [UInt8]) async throws -> SearchResponse {
        guard let json = try? JSONValue.parse(body) else { throw RequestError.badRequest("the query must be JSON") }
        let started = ContinuousClock.now
        let parsed = try ElasticsearchQuery.parse(json, now: Date().timeIntervalSince1970)
        let result = try await search.search(parsed)
        let took = ContinuousClock.now - started
        return SearchResponse(result, tookMilliseconds: Int(took.components.seconds * 1000 + took.components.attoseconds / 1_000_000_000_000_000))
    }
}

/// A DDO that breaks the schema: every problem by field, as Aquarius's `errors` object
/// has them, with the node's usual `error` sentence and the first `field` (answered 400).
public struct InvalidDDO: Error, Sendable {
    public let problems: [DDOValidation.Problem]

    public var body: JSONValue {
        let listed = problems.prefix(20).map { $0.path.isEmpty ? $0.message : "\($0.path) \($0.message)" }
        return .object([
            "error": .string("the DDO is not valid: " + listed.joined(separator: "; ")),
            "field": .string(problems.first?.path ?? ""),
            "errors": .object(Dictionary(problems.map { ($0.path, JSONValue.string($0.message)) }, uniquingKeysWith: { a, _ in a })),
        ])
    }
}
