/// Which addresses the node may open a connection to when it fetches a file for
/// anyone (datasets, algorithms, fileinfo, every redirect hop). Public addresses are
/// allowed; the kinds in `AddressCategory` are refused unless the operator allows
/// their network (`allowNetworks`) or names the host (`allowHosts`). The node config's
/// `fetch` object; parsed once at load.
public struct EgressPolicy: Sendable, Equatable {
    public var allowNetworks: [IPNetwork]
    /// Lowercase host names without a trailing dot. Such a host may resolve to any
    /// address: the operator vouches for its DNS.
    public var allowHosts: [String]

    /// Refuses every address kind in `AddressCategory`.
    public static let standard = EgressPolicy()

    public init(allowNetworks: [IPNetwork] = [], allowHosts: [String] = []) {
        self.allowNetworks = allowNetworks
        self.allowHosts = allowHosts.map(Self.canonicalHost)
    }

    /// nil when the node may connect to `address` to reach `host`; otherwise why not.
    public func refusal(host: String, address: IPAddress) -> EgressRefusal? {
        guard let category = AddressCategory.of(address) else { return nil }
        if allowHosts.contains(Self.canonicalHost(host)) { return nil }
        let forms = [address] + (address.embeddedIPv4.map { [$0] } ?? [])
        if forms.contains(where: { form in allowNetworks.contains { $0.contains(form) } }) { return nil }
        return EgressRefusal(category: category)
    }

    static func canonicalHost(_ host: String) -> String {
        var name = host.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        return name
    }
}

/// Why the node will not connect: the kind of address, never the address or the URL
/// (both may be a publisher's secret).
public struct EgressRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public let category: AddressCategory

    public init(category: AddressCategory) { self.category = category }

    public var description: String {
        "the file's server is at a \(category) address, which this node does not fetch from (its operator can allow it with fetch.allowNetworks or fetch.allowHosts)"
    }
}
