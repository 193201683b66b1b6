/// What a publisher sends to create or update an asset: metadata, services with their
/// encrypted file lists, and names for the data NFT. The node adds the DID, the NFT and
/// datatoken addresses and the service endpoint.
public struct AssetDraft: Sendable, Equatable {
    public struct Service: Sendable, Equatable {
        public var id: String
        public var type: ServiceType
        public var name: String?
        public var description: String?
        public var files: [UInt8]
        public var timeout: Int
        public var compute: ComputeOptions?
    }

    public var type: AssetType
    public var name: String
    public var description: String
    public var author: String
    public var license: String
    public var tags: [String]?
    public var additionalInformation: JSONValue?
    public var algorithm: AlgorithmInfo?
    public var services: [Service]
    public var nftName: String?
    public var nftSymbol: String?

    /// Validates a draft, naming every problem with its path (`services[0].timeout`).
    public static func parse(_ json: JSONValue) throws(RequestError) -> AssetDraft {
        var p = DraftParser()
        let draft = p.draft(json)
        if let first = p.problems.first {
            throw RequestError.badRequest("the asset is not valid: " + p.problems.map(\.message).joined(separator: "; "), field: first.field)
        }
        guard let draft else { throw RequestError.badRequest("the asset is not valid") }
        return draft
    }
}

/// Walks a draft collecting problems rather than stopping at the first one.
struct DraftParser {
    struct Problem { let field: String; let message: String }
    var problems: [Problem] = []

    mutating func fail(_ field: String, _ message: String) {
        problems.append(Problem(field: field, message: "\(field) \(message)"))
    }

    mutating func text(_ o: [String: JSONValue], _ key: String, at path: String, required: Bool = true, max: Int = 4096) -> String? {
        let field = path.isEmpty ? key : "\(path).\(key)"
        guard let value = o[key], !value.isNull else {
            if required { fail(field, "is required") }
            return nil
        }
        guard let s = value.stringValue else { fail(field, "must be a string"); return nil }
        if required && s.trimmingWhitespace.isEmpty { fail(field, "must not be empty"); return nil }
        if s.utf8.count > max { fail(field, "must be at most \(max) bytes"); return nil }
        return s
    }

    mutating func draft(_ json: JSONValue) -> AssetDraft? {
        guard let root = json.objectValue else { fail("asset", "must be a JSON object"); return nil }
        guard let metadata = root["metadata"]?.objectValue else { fail("metadata", "is required and must be an object"); return nil }
        let typeText = text(metadata, "type", at: "metadata")
        let type = typeText.flatMap(AssetType.init(rawValue:))
        if typeText != nil && type == nil { fail("metadata.type", "must be \"dataset\" or \"algorithm\"") }
        let name = text(metadata, "name", at: "metadata", max: 256)
        let description = text(metadata, "description", at: "metadata", required: false, max: 65536) ?? ""
        let author = text(metadata, "author", at: "metadata", max: 256)
        let license = text(metadata, "license", at: "metadata", max: 256)
        var tags: [String]?
        if let t = metadata["tags"], !t.isNull {
            if let list = t.arrayValue, list.allSatisfy({ $0.stringValue != nil }) {
                tags = list.compactMap(\.stringValue)
            } else {
                fail("metadata.tags", "must be a list of strings")
            }
        }
        var algorithm: AlgorithmInfo?
        if type == .algorithm {
            algorithm = algorithmInfo(metadata["algorithm"])
        } else if let a = metadata["algorithm"], !a.isNull {
            fail("metadata.algorithm", "is only allowed when metadata.type is \"algorithm\"")
        }
        let services = self.services(root["services"], assetType: type)
        var nftName: String?, nftSymbol: String?
        if let nft = root["nft"], !nft.isNull {
            if let o = nft.objectValue {
                nftName = text(o, "name", at: "nft", required: false, max: 64)
                nftSymbol = text(o, "symbol", at: "nft", required: false, max: 16)
            } else {
                fail("nft", "must be an object")
            }
        }
        guard let type, let name, let author, let license, let services, problems.isEmpty else { return nil }
        return AssetDraft(type: type, name: name, description: description, author: author, license: license,
                          tags: tags, additionalInformation: metadata["additionalInformation"], algorithm: algorithm,
                          services: services, nftName: nftName, nftSymbol: nftSymbol)
    }

    mutating func algorithmInfo(_ value: JSONValue?) -> AlgorithmInfo? {
        guard let o = value?.objectValue else { fail("metadata.algorithm", "is required for an algorithm and must be an object"); return nil }
        let language = text(o, "language", at: "metadata.algorithm", required: false, max: 64) ?? ""
        let version = text(o, "version", at: "metadata.algorithm", required: false, max: 64) ?? ""
        guard let c = o["container"]?.objectValue else { fail("metadata.algorithm.container", "is required and must be an object"); return nil }
        let path = "metadata.algorithm.container"
        let entrypoint = text(c, "entrypoint", at: path, max: 1024)
        let image = text(c, "image", at: path, max: 256)
        let tag = text(c, "tag", at: path, max: 128)
        let checksum = text(c, "checksum", at: path, max: 128)
        if let checksum, !ContainerChecksum.isValid(checksum) {
            fail("\(path).checksum", "must be sha256: followed by 64 lowercase hex digits")
        }
        guard let entrypoint, let image, let tag, let checksum else { return nil }
        return AlgorithmInfo(language: language, version: version,
                             container: ContainerSection(entrypoint: entrypoint, image: image, tag: tag, checksum: checksum),
                             consumerParameters: o["consumerParameters"])
    }

    mutating func services(_ value: JSONValue?, assetType: AssetType?) -> [AssetDraft.Service]? {
        guard let list = value?.arrayValue else { fail("services", "is required and must be a list"); return nil }
        if list.isEmpty { fail("services", "must hold at least one service") }
        if list.count > 16 { fail("services", "may hold at most 16 services") }
        var out: [AssetDraft.Service] = []
        var ids = Set<String>()
        for (i, item) in list.enumerated() {
            let path = "services[\(i)]"
            guard let o = item.objectValue else { fail(path, "must be an object"); continue }
            let id = text(o, "id", at: path, required: false, max: 128) ?? (i == 0 ? "0" : String(i))
            if !ids.insert(id).inserted { fail("\(path).id", "repeats the id \"\(id)\"") }
            let typeText = text(o, "type", at: path)
            let type = typeText.flatMap(ServiceType.init(rawValue:))
            if typeText != nil && type == nil { fail("\(path).type", "must be \"access\" or \"compute\"") }
            var files: [UInt8]?
            if let filesText = text(o, "files", at: path, max: 1 << 18) {
                files = Hex.decode(filesText)
                if files == nil || files?.isEmpty == true {
                    fail("\(path).files", "must be the 0x hex the node's /api/services/encrypt returned")
                }
            }
            var timeout = 0
            if let t = o["timeout"], !t.isNull {
                if let v = t.int64Value, v >= 0, v <= Int64(Int32.max) { timeout = Int(v) } else {
                    fail("\(path).timeout", "must be a whole number of seconds, 0 for no limit")
                }
            }
            var compute: ComputeOptions?
            if type == .compute {
                compute = computeOptions(o["compute"], at: "\(path).compute")
            } else if let c = o["compute"], !c.isNull {
                fail("\(path).compute", "is only allowed on a service of type \"compute\"")
            }
            guard let type, let files else { continue }
            out.append(AssetDraft.Service(
                id: id, type: type, name: text(o, "name", at: path, required: false, max: 256),
                description: text(o, "description", at: path, required: false, max: 4096),
                files: files, timeout: timeout, compute: compute))
        }
        return out
    }

    mutating func computeOptions(_ value: JSONValue?, at path: String) -> ComputeOptions {
        guard let value, !value.isNull else { return ComputeOptions() }
        guard let o = value.objectValue else { fail(path, "must be an object"); return ComputeOptions() }
        var options = ComputeOptions()
        for key in ["allowRawAlgorithm", "allowNetworkAccess"] {
            guard let v = o[key], !v.isNull else { continue }
            guard let b = v.boolValue else { fail("\(path).\(key)", "must be true or false"); continue }
            if key == "allowRawAlgorithm" { options.allowRawAlgorithm = b } else { options.allowNetworkAccess = b }
        }
        if let v = o["publisherTrustedAlgorithmPublishers"], !v.isNull {
            if let list = v.arrayValue, let addresses = Optional(list.compactMap(\.stringValue)),
               addresses.count == list.count, addresses.allSatisfy({ EthereumAddress($0) != nil }) {
                options.publisherTrustedAlgorithmPublishers = addresses
            } else {
                fail("\(path).publisherTrustedAlgorithmPublishers", "must be a list of addresses")
            }
        }
        if let v = o["sluice"], !v.isNull {
            // Sluice's options (the output policy), checked as a job start will read them.
            do {
                _ = try ComputeOptions(sluice: v).sluiceOptions()
                options.sluice = v
            } catch let problem as SluiceOptionsProblem {
                fail("\(path).sluice", "is invalid: \(problem.detail)")
            } catch {
                fail("\(path).sluice", "is invalid")
            }
        }
        if let v = o["publisherTrustedAlgorithms"], !v.isNull {
            guard let list = v.arrayValue else {
                fail("\(path).publisherTrustedAlgorithms", "must be a list")
                return options
            }
            for (i, item) in list.enumerated() {
                let itemPath = "\(path).publisherTrustedAlgorithms[\(i)]"
                guard let t = item.objectValue else { fail(itemPath, "must be an object"); continue }
                let did = text(t, "did", at: itemPath)
                if let did, DID(did) == nil { fail("\(itemPath).did", "must be did:op: followed by 64 hex digits") }
                let files = text(t, "filesChecksum", at: itemPath, max: 64 * 64)
                let container = text(t, "containerSectionChecksum", at: itemPath, max: 64)
                if let did, let files, let container {
                    options.publisherTrustedAlgorithms.append(TrustedAlgorithm(did: did, filesChecksum: files, containerSectionChecksum: container))
                }
            }
        }
        return options
    }
}

/// Container image digests: `sha256:` followed by 64 lowercase hex digits.
public enum ContainerChecksum {
    public static func isValid(_ text: String) -> Bool {
        guard text.hasPrefix("sha256:"), text.utf8.count == 71 else { return false }
        return text.utf8.dropFirst(7).allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}

extension String {
    var trimmingWhitespace: Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}
