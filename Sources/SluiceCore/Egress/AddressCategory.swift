/// The kinds of address a node refuses to fetch from unless its operator allows them:
/// places only the node's own network position can reach.
public enum AddressCategory: String, Sendable, CaseIterable, CustomStringConvertible {
    case loopback
    case privateNetwork
    case linkLocal
    case sharedAddressSpace
    case uniqueLocal
    case multicast
    case unspecified
    case reserved

    public var description: String {
        switch self {
        case .loopback: return "loopback"
        case .privateNetwork: return "private-network (RFC 1918)"
        case .linkLocal: return "link-local"
        case .sharedAddressSpace: return "carrier-grade NAT"
        case .uniqueLocal: return "unique-local IPv6"
        case .multicast: return "multicast"
        case .unspecified: return "unspecified"
        case .reserved: return "reserved or broadcast"
        }
    }

    /// The networks of each kind. Parsed from literals the tests cover, so the
    /// `compactMap` drops nothing.
    static let networks: [(IPNetwork, AddressCategory)] = [
        ("0.0.0.0/8", .unspecified), ("10.0.0.0/8", .privateNetwork), ("100.64.0.0/10", .sharedAddressSpace),
        ("127.0.0.0/8", .loopback), ("169.254.0.0/16", .linkLocal), ("172.16.0.0/12", .privateNetwork),
        ("192.168.0.0/16", .privateNetwork), ("224.0.0.0/4", .multicast), ("240.0.0.0/4", .reserved),
        ("::/128", .unspecified), ("::1/128", .loopback), ("fe80::/10", .linkLocal), ("fec0::/10", .linkLocal),
        ("fc00::/7", .uniqueLocal), ("ff00::/8", .multicast),
    ].compactMap { text, category in IPNetwork(text).map { ($0, category) } }

    /// The kind of `address` when it is one the node refuses by default; nil for a
    /// public address. An IPv6 form of an IPv4 address counts as that IPv4 address.
    public static func of(_ address: IPAddress) -> AddressCategory? {
        for candidate in [address] + (address.embeddedIPv4.map { [$0] } ?? []) {
            if let hit = networks.first(where: { $0.0.contains(candidate) }) { return hit.1 }
        }
        return nil
    }
}
