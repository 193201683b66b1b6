import Foundation
public import SluiceCore
public import SluiceCrypto

/// A service's file list, encrypted to the provider's key and bound to the asset's NFT
/// and the service's datatoken, so a list copied from one asset into another is refused.
public struct FileListCipher: Sendable {
    let key: PrivateKey
    /// Absolute directories `local` files may live under.
    let localFileRoots: [String]

    public init(key: PrivateKey, localFileRoots: [String]) {
        self.key = key
        self.localFileRoots = localFileRoots
    }

    public struct Bound: Sendable, Equatable {
        public var nftAddress: EthereumAddress?
        public var datatokenAddress: EthereumAddress?
        public var files: [DataSource]
    }

    /// Decrypts and parses a file list. `field` names it in refusals; contents never
    /// appear in a message.
    public func open(_ ciphertext: [UInt8], field: String) throws(RequestError) -> Bound {
        let plain: [UInt8]
        do {
            plain = try ECIES.decrypt(ciphertext, with: key)
        } catch {
            throw .badRequest("\(field) was not encrypted to this provider (use /api/services/encrypt)", field: field)
        }
        guard let json = try? JSONValue.parse(plain) else {
            throw .badRequest("\(field) does not decrypt to a JSON file list", field: field)
        }
        var bound = Bound(files: [])
        let list: [JSONValue]
        if let array = json.arrayValue {
            list = array
        } else if let object = json.objectValue, let files = object["files"]?.arrayValue {
            list = files
            if let nft = object["nftAddress"]?.stringValue {
                guard let address = EthereumAddress(nft) else { throw .badRequest("\(field) names a malformed nftAddress", field: field) }
                bound.nftAddress = address
            }
            if let dt = object["datatokenAddress"]?.stringValue {
                guard let address = EthereumAddress(dt) else { throw .badRequest("\(field) names a malformed datatokenAddress", field: field) }
                bound.datatokenAddress = address
            }
        } else {
            throw .badRequest("\(field) must decrypt to a list of file objects or {\"files\": [...]}", field: field)
        }
        guard !list.isEmpty, list.count <= 64 else { throw .badRequest("\(field) must hold 1 to 64 files", field: field) }
        for (i, item) in list.enumerated() {
            let file = try FileObject.parse(item, path: "\(field)[\(i)]")
            if case .path(let path) = file, !isAllowedLocal(path) {
                throw .badRequest("\(field)[\(i)] is a local file outside the directories this node serves data from", field: "\(field)[\(i)].path")
            }
            bound.files.append(file)
        }
        return bound
    }

    /// Checks `ciphertext` may serve `datatoken` of `nft` and returns it bound to them:
    /// a list already bound to them is kept; an unbound one is bound; one bound
    /// elsewhere is refused.
    public func bind(_ ciphertext: [UInt8], nft: EthereumAddress, datatoken: EthereumAddress, field: String) throws(RequestError) -> [UInt8] {
        let list = try open(ciphertext, field: field)
        if list.nftAddress != nil || list.datatokenAddress != nil {
            guard list.nftAddress == nft, list.datatokenAddress == datatoken else {
                throw .badRequest("\(field) was encrypted for another asset or service", field: field)
            }
            return ciphertext
        }
        let plain = JSONValue.object([
            "nftAddress": .string(nft.checksummed),
            "datatokenAddress": .string(datatoken.checksummed),
            "files": .array(list.files.map(\.fileObject)),
        ]).compactJSON()
        do {
            return try ECIES.encrypt(Array(plain.utf8), to: key.publicKey)
        } catch {
            throw .badRequest("\(field) could not be re-encrypted", field: field)
        }
    }

    /// The files of a service of a stored asset, checked against its binding.
    public func files(of service: AssetService, nft: EthereumAddress) throws(RequestError) -> [DataSource] {
        guard let bytes = Hex.decode(service.files) else { throw .badRequest("the service's file list is damaged") }
        let list = try open(bytes, field: "files")
        guard list.nftAddress == nft, list.datatokenAddress == service.datatokenAddress else {
            throw .badRequest("the service's file list is not bound to this asset")
        }
        return list.files
    }

    /// Inside a root both as written and, when the file exists, with every symbolic link
    /// resolved, so a link inside a root cannot lead out of it. Checked when a list is
    /// published and again each time a job reads it.
    func isAllowedLocal(_ path: String) -> Bool {
        let normalized = LocalPaths.normalize(path)
        guard !normalized.isEmpty else { return false }
        let candidates = [normalized] + (LocalPaths.resolved(normalized).map { [$0] } ?? [])
        return candidates.allSatisfy { candidate in
            localFileRoots.contains { root in
                let roots = [LocalPaths.normalize(root)] + (LocalPaths.resolved(root).map { [$0] } ?? [])
                return roots.contains { r in
                    !r.isEmpty && (candidate == r || candidate.hasPrefix(r.hasSuffix("/") ? r : r + "/"))
                }
            }
        }
    }
}

/// Path normalisation: `.` and `..` lexically, so `/data/../etc/shadow` is judged as
/// `/etc/shadow`; and the real path with links resolved, when the file exists.
enum LocalPaths {
    static func resolved(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    static func normalize(_ path: String) -> String {
        guard path.hasPrefix("/") else { return "" }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
