import Foundation
public import SluiceCore
import SluiceCrypto

/// Checks a whole DDO against Ocean's DDO schema (v4.x, the rules of Aquarius's SHACL shapes
/// for 4.1.0, plus the identity checks Aquarius adds: the `id` is the DID of `nftAddress` on
/// `chainId`). Every problem is reported, each under the path of its field, so a publisher
/// can fix them all at once.
public enum DDOValidation {
    public struct Problem: Sendable, Equatable {
        /// `services[1].files`, `metadata.algorithm.container.image`, ...
        public let path: String
        public let message: String

        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }
    }

    /// The versions whose shapes these rules follow (Aquarius accepts the same list).
    public static let versions: Set = ["4.0.0", "4.1.0", "4.3.0", "4.5.0"]

    public static func problems(in document: JSONValue) -> [Problem] {
        var walk = Walk()
        walk.ddo(document)
        return walk.problems
    }
}

/// Collects problems rather than stopping at the first.
// Regex is not Sendable; this one is only ever read.
private nonisolated(unsafe) let isoDate = /(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?/

private struct Walk {
    var problems: [DDOValidation.Problem] = []

    mutating func fail(_ path: String, _ message: String) {
        problems.append(.init(path: path, message: message))
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A string member; nil (with a problem when required) otherwise.
    @discardableResult
    mutating func string(_ o: [String: JSONValue], _ key: String, at path: String, required: Bool) -> String? {
        let field = Self.join(path, key)
        guard let value = o[key], !value.isNull else {
            if required { fail(field, "is required") }
            return nil
        }
        guard let s = value.stringValue else { fail(field, "must be a string"); return nil }
        return s
    }

    mutating func bool(_ o: [String: JSONValue], _ key: String, at path: String) {
        let field = Self.join(path, key)
        guard let value = o[key], !value.isNull else { return fail(field, "is required") }
        if value.boolValue == nil { fail(field, "must be true or false") }
    }

    mutating func integer(_ o: [String: JSONValue], _ key: String, at path: String) -> Int64? {
        let field = Self.join(path, key)
        guard let value = o[key], !value.isNull else { fail(field, "is required"); return nil }
        guard case .integer(let i) = value else { fail(field, "must be an integer"); return nil }
        return i
    }

    /// An optional list of strings.
    mutating func strings(_ o: [String: JSONValue], _ key: String, at path: String) {
        guard let value = o[key], !value.isNull else { return }
        let field = Self.join(path, key)
        guard let items = value.arrayValue else { return fail(field, "must be a list of strings") }
        for (i, item) in items.enumerated() where item.stringValue == nil {
            fail("\(field)[\(i)]", "must be a string")
        }
    }

    /// An object member; nil (with a problem when required or of another type) otherwise.
    mutating func object(_ o: [String: JSONValue], _ key: String, at path: String, required: Bool) -> [String: JSONValue]? {
        let field = Self.join(path, key)
        guard let value = o[key], !value.isNull else {
            if required { fail(field, "is required") }
            return nil
        }
        guard let members = value.objectValue else { fail(field, "must be an object"); return nil }
        return members
    }

    mutating func address(_ o: [String: JSONValue], _ key: String, at path: String) -> EthereumAddress? {
        guard let text = string(o, key, at: path, required: true) else { return nil }
        guard let address = EthereumAddress(text) else { fail(Self.join(path, key), "must be a 0x address of 20 bytes"); return nil }
        return address
    }

    mutating func ddo(_ document: JSONValue) {
        guard let o = document.objectValue else { return fail("", "the DDO must be a JSON object") }
        switch o["@context"] {
        case .array?, .object?: break
        case nil, .null?: fail("@context", "is required")
        default: fail("@context", "must be a list or an object")
        }
        let id = string(o, "id", at: "", required: true)
        if let id, DID(id) == nil { fail("id", "must be did:op: followed by 64 lowercase hex digits") }
        if let version = string(o, "version", at: "", required: true), !DDOValidation.versions.contains(version) {
            fail("version", "must be one of \(DDOValidation.versions.sorted().joined(separator: ", "))")
        }
        let chainId = integer(o, "chainId", at: "")
        if let chainId, chainId <= 0 || chainId > Int64(Int32.max) { fail("chainId", "must be a positive chain id") }
        let nft = address(o, "nftAddress", at: "")
        if let id, let chainId, let nft, DID(id) != nil, chainId > 0, chainId <= Int64(Int32.max),
           DID.derive(nftAddress: nft, chainId: Int(chainId)).text != id {
            fail("id", "is not the DID of nftAddress on chainId")
        }
        let type = metadata(object(o, "metadata", at: "", required: true))
        services(o["services"], assetType: type)
        credentials(object(o, "credentials", at: "", required: false))
    }

    /// Checks `metadata`; returns its type when valid.
    mutating func metadata(_ m: [String: JSONValue]?) -> String? {
        guard let m else { return nil }
        for key in ["name", "description", "author", "license"] { string(m, key, at: "metadata", required: true) }
        let type = string(m, "type", at: "metadata", required: true)
        if let type, type != "dataset", type != "algorithm" { fail("metadata.type", "must be dataset or algorithm") }
        for key in ["created", "updated"] {
            if let date = string(m, key, at: "metadata", required: false), !Self.isISODate(date) {
                fail("metadata.\(key)", "must be an ISO 8601 date")
            }
        }
        for key in ["copyrightHolder", "contentLanguage"] { string(m, key, at: "metadata", required: false) }
        for key in ["links", "tags", "categories"] { strings(m, key, at: "metadata") }
        let algorithm = object(m, "algorithm", at: "metadata", required: type == "algorithm")
        if let algorithm {
            string(algorithm, "language", at: "metadata.algorithm", required: false)
            string(algorithm, "version", at: "metadata.algorithm", required: false)
            if let container = object(algorithm, "container", at: "metadata.algorithm", required: true) {
                for key in ["entrypoint", "image", "tag", "checksum"] {
                    string(container, key, at: "metadata.algorithm.container", required: true)
                }
            }
            consumerParameters(algorithm["consumerParameters"], at: "metadata.algorithm.consumerParameters")
        }
        return type
    }

    mutating func services(_ value: JSONValue?, assetType: String?) {
        guard let value, !value.isNull else { return fail("services", "is required") }
        guard let list = value.arrayValue else { return fail("services", "must be a list") }
        if list.isEmpty { fail("services", "must hold at least one service") }
        var ids: Set<String> = []
        for (i, item) in list.enumerated() {
            let path = "services[\(i)]"
            guard let s = item.objectValue else { fail(path, "must be an object"); continue }
            if let id = string(s, "id", at: path, required: true), !ids.insert(id).inserted {
                fail("\(path).id", "repeats the id of another service")
            }
            let type = string(s, "type", at: path, required: true)
            string(s, "name", at: path, required: false)
            string(s, "description", at: path, required: false)
            _ = address(s, "datatokenAddress", at: path)
            string(s, "serviceEndpoint", at: path, required: true)
            if let files = string(s, "files", at: path, required: true), files.isEmpty {
                fail("\(path).files", "must not be empty")
            }
            if let timeout = integer(s, "timeout", at: path), timeout < 0 { fail("\(path).timeout", "must not be negative") }
            if let compute = object(s, "compute", at: path, required: type == "compute") {
                bool(compute, "allowRawAlgorithm", at: "\(path).compute")
                bool(compute, "allowNetworkAccess", at: "\(path).compute")
                strings(compute, "publisherTrustedAlgorithmPublishers", at: "\(path).compute")
                trustedAlgorithms(compute["publisherTrustedAlgorithms"], at: "\(path).compute.publisherTrustedAlgorithms")
            }
            consumerParameters(s["consumerParameters"], at: "\(path).consumerParameters")
        }
    }

    mutating func trustedAlgorithms(_ value: JSONValue?, at path: String) {
        guard let value, !value.isNull else { return }
        guard let list = value.arrayValue else { return fail(path, "must be a list") }
        for (i, item) in list.enumerated() {
            guard let t = item.objectValue else { fail("\(path)[\(i)]", "must be an object"); continue }
            if let did = string(t, "did", at: "\(path)[\(i)]", required: true), DID(did) == nil {
                fail("\(path)[\(i)].did", "must be did:op: followed by 64 lowercase hex digits")
            }
            string(t, "filesChecksum", at: "\(path)[\(i)]", required: true)
            string(t, "containerSectionChecksum", at: "\(path)[\(i)]", required: true)
        }
    }

    mutating func consumerParameters(_ value: JSONValue?, at path: String) {
        guard let value, !value.isNull else { return }
        guard let list = value.arrayValue else { return fail(path, "must be a list") }
        for (i, item) in list.enumerated() {
            let field = "\(path)[\(i)]"
            guard let p = item.objectValue else { fail(field, "must be an object"); continue }
            for key in ["name", "type", "label", "description"] { string(p, key, at: field, required: true) }
            if p["required"]?.boolValue == nil { fail("\(field).required", "must be true or false") }
            // Ocean's tools write defaults of every parameter type; only presence is required.
            if p["default"] == nil { fail("\(field).default", "is required") }
        }
    }

    mutating func credentials(_ c: [String: JSONValue]?) {
        guard let c else { return }
        for key in ["allow", "deny"] {
            guard let value = c[key], !value.isNull else { continue }
            let path = "credentials.\(key)"
            guard let list = value.arrayValue else { fail(path, "must be a list"); continue }
            for (i, item) in list.enumerated() {
                guard let entry = item.objectValue else { fail("\(path)[\(i)]", "must be an object"); continue }
                string(entry, "type", at: "\(path)[\(i)]", required: true)
                guard let values = entry["values"]?.arrayValue else { fail("\(path)[\(i)].values", "must be a list"); continue }
                for (j, v) in values.enumerated() where v.stringValue == nil && v.objectValue == nil {
                    fail("\(path)[\(i)].values[\(j)]", "must be a string or an object")
                }
            }
        }
    }

    /// `2024-01-31`, `2024-01-31T12:00:00Z`, with fractions, an offset or none (ocean-lib writes
    /// naive local times), as Python's `fromisoformat` after Aquarius strips a trailing `Z`.
    static func isISODate(_ text: String) -> Bool {
        guard let match = text.wholeMatch(of: isoDate), let month = Int(match.2), let day = Int(match.3) else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
