/// Per-address nonces of signed requests (contract section 2): a signed call is accepted
/// only when its nonce is strictly greater than the last one accepted for its address.
///
/// Implementations check and store in one atomic step, so two concurrent requests
/// carrying the same nonce cannot both pass, and keep nonces across restarts.
public protocol NonceStore: Sendable {
    /// The last nonce accepted for `address`, 0 when none.
    func lastNonce(of address: EthereumAddress) async throws -> UInt64

    /// Accepts `nonce` for `address` if it is greater than the stored one and stores it;
    /// throws `StoreError.staleNonce` otherwise.
    func consume(_ nonce: Nonce, of address: EthereumAddress) async throws
}

extension Nonce {
    /// The one nonce rule: a nonce is accepted only when greater than the last accepted
    /// one (0 when none, so the first is at least 1). The early check before costly work
    /// and every store's check-and-set inside its transaction call this.
    public func requireFresh(last: UInt64) throws(StoreError) {
        guard value > last else { throw .staleNonce(sent: value, last: last) }
    }
}

public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The nonce was not greater than `last`, the last one accepted.
    case staleNonce(sent: UInt64, last: UInt64)

    public var description: String {
        switch self {
        case .staleNonce(let sent, let last):
            return "nonce \(sent) is not greater than the last accepted nonce \(last); ask /api/services/nonce and sign again"
        }
    }
}
