/// The `slurm` backend's settings (an environment's `"slurm"` object): which slurmrestd
/// to submit to, as whom, and into which partition. The JWT itself never sits in the
/// config, only the file that holds it.
public struct SlurmSettings: Sendable, Equatable, Codable {
    /// slurmrestd's address, `http://host:port` (or https); requests go to
    /// `<restURL>/slurm/<apiVersion>/...`.
    public var restURL: SlurmRESTEndpoint
    /// A file holding the JWT (`scontrol token`), read at each request so a rotated token
    /// is picked up; its contents never reach a log or an error.
    public var tokenFile: String
    /// The Slurm user jobs are submitted as (`X-SLURM-USER-NAME`): the token's user.
    /// Required: no account name is a safe guess, and jobs run as this user on the
    /// compute nodes, so it must be able to write the job's outputs.
    public var user: String
    public var partition: String
    public var account: String?
    public var qos: String?
    public var apiVersion: SlurmAPIVersion

    public init(restURL: SlurmRESTEndpoint, tokenFile: String, user: String, partition: String,
                account: String? = nil, qos: String? = nil, apiVersion: SlurmAPIVersion = .v0_0_38) {
        self.restURL = restURL
        self.tokenFile = tokenFile
        self.user = user
        self.partition = partition
        self.account = account
        self.qos = qos
        self.apiVersion = apiVersion
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case restURL, tokenFile, user, partition, account, qos, apiVersion
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self, object: "the slurm settings")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.restURL = try c.decode(SlurmRESTEndpoint.self, forKey: .restURL)
        self.tokenFile = try Self.nonEmpty(c, .tokenFile)
        self.user = try Self.nonEmpty(c, .user)
        self.partition = try Self.nonEmpty(c, .partition)
        self.account = try c.decodeIfPresent(String.self, forKey: .account)
        self.qos = try c.decodeIfPresent(String.self, forKey: .qos)
        self.apiVersion = try c.decodeIfPresent(SlurmAPIVersion.self, forKey: .apiVersion) ?? .v0_0_38
    }

    /// A required text key: present and neither empty nor containing control characters
    /// (each ends up in an HTTP header or a Slurm field).
    private static func nonEmpty(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String {
        let text = try c.decode(String.self, forKey: key)
        guard !text.isEmpty, !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(key.stringValue) must be a non-empty text without control characters")
        }
        return text
    }
}

/// The slurmrestd REST API versions this node speaks; `v0.0.39` and later change the
/// submit body (numbers become objects) and need their own models.
public enum SlurmAPIVersion: String, Sendable, Equatable, Codable, CaseIterable {
    case v0_0_38 = "v0.0.38"

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let version = SlurmAPIVersion(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription:
                "apiVersion must be one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text.prefix(32))\"")
        }
        self = version
    }
}

/// slurmrestd's TCP address: `http://host:port` or `https://host:port`, no path, query or
/// credentials. Its `description` (`host:port`) is all errors name of it.
public struct SlurmRESTEndpoint: Sendable, Equatable, Codable, CustomStringConvertible {
    public let secure: Bool
    public let host: String
    public let port: Int

    public init(host: String, port: Int, secure: Bool = false) {
        self.host = host
        self.port = port
        self.secure = secure
    }

    public init?(_ text: String) {
        let secure: Bool
        let rest: Substring
        if text.hasPrefix("http://") { secure = false; rest = text.dropFirst("http://".count) }
        else if text.hasPrefix("https://") { secure = true; rest = text.dropFirst("https://".count) }
        else { return nil }
        let authority = rest.hasSuffix("/") ? rest.dropLast() : rest
        guard !authority.isEmpty, !authority.contains(where: { "/?#@ ".contains($0) }) else { return nil }
        var host = String(authority)
        var port = secure ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65_535).contains(number) else { return nil }
            host = String(authority[..<colon])
            port = number
        }
        guard !host.isEmpty else { return nil }
        self.secure = secure
        self.host = host
        self.port = port
    }

    public var description: String { "\(host):\(port)" }

    /// The base every API path is appended to.
    public var baseURL: String { "\(secure ? "https" : "http")://\(host):\(port)" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let endpoint = SlurmRESTEndpoint(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription:
                "restURL \"\(text.prefix(128))\" must be http://host:port or https://host:port")
        }
        self = endpoint
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(baseURL)
    }
}
