import Foundation
import SluiceCore

/// Applies the egress policy to one hop of a fetch: the host, once resolved, must have
/// only addresses the policy allows; the address returned is the one to connect to.
struct EgressGate: Sendable {
    let policy: EgressPolicy
    let resolver: any HostResolver

    func address(for host: String) async throws -> IPAddress {
        if let literal = IPAddress(host) {
            if let refusal = policy.refusal(host: host, address: literal) { throw FetchError.refused(refusal) }
            return literal
        }
        let addresses = try await resolver.addresses(of: host)
        // Every answer is checked, not only the one used: a name with one internal
        // record is refused outright.
        for address in addresses {
            if let refusal = policy.refusal(host: host, address: address) { throw FetchError.refused(refusal) }
        }
        guard let first = addresses.first else { throw FetchError.unresolvable }
        return first
    }

    /// The host of an http(s) URL as the HTTP client will read it (IPv6 without brackets).
    static func host(of url: URL) -> String? {
        guard var host = url.host, !host.isEmpty else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host
    }
}
