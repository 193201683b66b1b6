/// A CIDR network such as `10.0.0.0/8` or `fd00::/8`; a bare address is a network of
/// that one address. Families never match each other: IPv4-mapped IPv6 forms are
/// compared through `IPAddress.embeddedIPv4` by the policy, not here.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maxLength = address.bytes.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].utf8.count <= 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let parsed = Int(parts[1]), (0...maxLength).contains(parsed) else { return nil }
            length = parsed
        }
        self.init(address: address, prefixLength: length)
    }

    /// Host bits are cleared, so `10.1.2.3/8` is `10.0.0.0/8`.
    public init(address: IPAddress, prefixLength: Int) {
        let length = max(0, min(prefixLength, address.bytes.count * 8))
        self.prefixLength = length
        self.address = IPAddress(bytes: Self.masked(address.bytes, length)) ?? address
    }

    public func contains(_ candidate: IPAddress) -> Bool {
        candidate.bytes.count == address.bytes.count && Self.masked(candidate.bytes, prefixLength) == address.bytes
    }

    public var description: String { "\(address)/\(prefixLength)" }

    static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bitsKept = max(0, min(8, length - index * 8))
            return bitsKept == 8 ? byte : byte & UInt8(truncatingIfNeeded: 0xff << (8 - bitsKept))
        }
    }
}
