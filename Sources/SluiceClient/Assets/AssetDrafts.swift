import SluiceCore

/// What a publisher says about an asset.
public struct AssetDescription: Sendable {
    public var name: String
    public var description: String
    public var author: String
    public var license: String
    public var tags: [String]

    public init(name: String, description: String = "", author: String, license: String = "CC0", tags: [String] = []) {
        self.name = name
        self.description = description
        self.author = author
        self.license = license
        self.tags = tags
    }

    func metadata(type: AssetType) -> [String: JSONValue] {
        var m: [String: JSONValue] = ["type": .string(type.rawValue), "name": .string(name), "author": .string(author),
                                      "license": .string(license), "description": .string(description)]
        if !tags.isEmpty { m["tags"] = .array(tags.map { .string($0) }) }
        return m
    }
}

/// An algorithm's container section: the runtime it needs and how to start it.
public struct AlgorithmContainer: Sendable {
    public var image: String
    public var tag: String
    /// Run inside the sandbox; `$ALGO` is the algorithm's file.
    public var entrypoint: String
    /// `sha256:` + 64 hex: the image digest a Docker environment checks.
    public var checksum: String
    public var language: String
    public var version: String

    public init(image: String, tag: String, entrypoint: String, checksum: String, language: String = "python", version: String = "1") {
        self.image = image
        self.tag = tag
        self.entrypoint = entrypoint
        self.checksum = checksum
        self.language = language
        self.version = version
    }
}
