/// An asset's document, Ocean's DDO v4 (the parts the compute flow uses). Field names
/// are Ocean's, so `ocean-lib`'s `DDO.from_dict` reads what the node resolves.
public struct DDO: Codable, Sendable, Equatable {
    public var context: [String]
    public var id: DID
    public var version: String
    public var chainId: Int
    /// The asset's data NFT (EIP-55 in JSON).
    public var nftAddress: EthereumAddress
    public var metadata: AssetMetadata
    public var services: [AssetService]
    public var credentials: JSONValue
    public var nft: NFTSummary
    public var datatokens: [DatatokenSummary]
    public var event: JSONValue?
    public var stats: JSONValue?

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id, version, chainId, nftAddress, metadata, services, credentials, nft, datatokens, event, stats
    }

    public init(
        id: DID, chainId: Int, nftAddress: EthereumAddress, metadata: AssetMetadata, services: [AssetService],
        nft: NFTSummary, datatokens: [DatatokenSummary]
    ) {
        self.context = ["https://w3id.org/did/v1"]
        self.id = id
        self.version = "4.1.0"
        self.chainId = chainId
        self.nftAddress = nftAddress
        self.metadata = metadata
        self.services = services
        self.credentials = .object(["allow": .array([]), "deny": .array([])])
        self.nft = nft
        self.datatokens = datatokens
        self.event = nil
        self.stats = .object(["orders": .integer(0)])
    }

    public func service(id: String) -> (index: Int, service: AssetService)? {
        guard let index = services.firstIndex(where: { $0.id == id }) else { return nil }
        return (index, services[index])
    }

    public var isAlgorithm: Bool { metadata.type == .algorithm }
}

public enum AssetType: String, Codable, Sendable, Equatable {
    case dataset, algorithm
}

public struct AssetMetadata: Codable, Sendable, Equatable {
    public var created: String
    public var updated: String
    public var type: AssetType
    public var name: String
    public var description: String
    public var author: String
    public var license: String
    public var tags: [String]?
    public var additionalInformation: JSONValue?
    public var algorithm: AlgorithmInfo?

    public init(created: String, updated: String, type: AssetType, name: String, description: String,
                author: String, license: String, tags: [String]? = nil,
                additionalInformation: JSONValue? = nil, algorithm: AlgorithmInfo? = nil) {
        self.created = created
        self.updated = updated
        self.type = type
        self.name = name
        self.description = description
        self.author = author
        self.license = license
        self.tags = tags
        self.additionalInformation = additionalInformation
        self.algorithm = algorithm
    }
}

public struct AlgorithmInfo: Codable, Sendable, Equatable {
    public var language: String
    public var version: String
    public var container: ContainerSection
    public var consumerParameters: JSONValue?

    public init(language: String, version: String, container: ContainerSection, consumerParameters: JSONValue? = nil) {
        self.language = language
        self.version = version
        self.container = container
        self.consumerParameters = consumerParameters
    }
}

/// Where and how an algorithm runs: `entrypoint` (with `$ALGO`), `image:tag`, and the
/// image digest `checksum` (`sha256:...`).
public struct ContainerSection: Codable, Sendable, Equatable {
    public var entrypoint: String
    public var image: String
    public var tag: String
    public var checksum: String

    public init(entrypoint: String, image: String, tag: String, checksum: String = "") {
        self.entrypoint = entrypoint
        self.image = image
        self.tag = tag
        self.checksum = checksum
    }

    /// The key of an environment's `runtimes`.
    public var imageReference: String { "\(image):\(tag)" }
}

public enum ServiceType: String, Codable, Sendable, Equatable {
    case access, compute
}

public struct AssetService: Codable, Sendable, Equatable {
    public var id: String
    public var type: ServiceType
    public var name: String?
    public var description: String?
    /// The service's file list, ECIES-encrypted to the provider's key, as `0x` hex.
    public var files: String
    public var datatokenAddress: EthereumAddress
    public var serviceEndpoint: String
    /// Seconds an order of this service stays valid; 0 means no limit.
    public var timeout: Int
    public var compute: ComputeOptions?
    public var additionalInformation: JSONValue?

    public init(id: String, type: ServiceType, name: String? = nil, description: String? = nil, files: String,
                datatokenAddress: EthereumAddress, serviceEndpoint: String, timeout: Int, compute: ComputeOptions? = nil,
                additionalInformation: JSONValue? = nil) {
        self.id = id
        self.type = type
        self.name = name
        self.description = description
        self.files = files
        self.datatokenAddress = datatokenAddress
        self.serviceEndpoint = serviceEndpoint
        self.timeout = timeout
        self.compute = compute
        self.additionalInformation = additionalInformation
    }
}

/// What a compute service allows (Ocean's `compute` object of a service).
public struct ComputeOptions: Codable, Sendable, Equatable {
    public var allowRawAlgorithm: Bool
    public var allowNetworkAccess: Bool
    public var publisherTrustedAlgorithmPublishers: [String]
    public var publisherTrustedAlgorithms: [TrustedAlgorithm]

    public init(allowRawAlgorithm: Bool = false, allowNetworkAccess: Bool = false,
                publisherTrustedAlgorithmPublishers: [String] = [], publisherTrustedAlgorithms: [TrustedAlgorithm] = []) {
        self.allowRawAlgorithm = allowRawAlgorithm
        self.allowNetworkAccess = allowNetworkAccess
        self.publisherTrustedAlgorithmPublishers = publisherTrustedAlgorithmPublishers
        self.publisherTrustedAlgorithms = publisherTrustedAlgorithms
    }

    /// Missing keys take their defaults: DDOs published by other clients (on chain, say)
    /// often leave out the empty lists.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        allowRawAlgorithm = try c.decodeIfPresent(Bool.self, forKey: .allowRawAlgorithm) ?? false
        allowNetworkAccess = try c.decodeIfPresent(Bool.self, forKey: .allowNetworkAccess) ?? false
        publisherTrustedAlgorithmPublishers = try c.decodeIfPresent([String].self, forKey: .publisherTrustedAlgorithmPublishers) ?? []
        publisherTrustedAlgorithms = try c.decodeIfPresent([TrustedAlgorithm].self, forKey: .publisherTrustedAlgorithms) ?? []
    }

    enum CodingKeys: String, CodingKey {
        case allowRawAlgorithm, allowNetworkAccess, publisherTrustedAlgorithmPublishers, publisherTrustedAlgorithms
    }
}

/// An algorithm a dataset's publisher allows, pinned to the checksums of its files and
/// container section (contract section 4).
public struct TrustedAlgorithm: Codable, Sendable, Equatable {
    public var did: String
    public var filesChecksum: String
    public var containerSectionChecksum: String

    public init(did: String, filesChecksum: String, containerSectionChecksum: String) {
        self.did = did
        self.filesChecksum = filesChecksum
        self.containerSectionChecksum = containerSectionChecksum
    }
}

public struct NFTSummary: Codable, Sendable, Equatable {
    public var address: String
    public var name: String
    public var symbol: String
    /// 0 active; Ocean's other states mark an asset as not to be used.
    public var state: Int
    public var owner: String
    public var created: String
    public var tokenURI: String

    public init(address: String, name: String, symbol: String, state: Int = 0, owner: String, created: String, tokenURI: String = "") {
        self.address = address
        self.name = name
        self.symbol = symbol
        self.state = state
        self.owner = owner
        self.created = created
        self.tokenURI = tokenURI
    }
}

public struct DatatokenSummary: Codable, Sendable, Equatable {
    public var address: String
    public var name: String
    public var symbol: String
    public var serviceId: String

    public init(address: String, name: String, symbol: String, serviceId: String) {
        self.address = address
        self.name = name
        self.symbol = symbol
        self.serviceId = serviceId
    }
}
