import SluiceCore
import SluiceCrypto

/// Addresses and transaction ids of the embedded ledger. NFT addresses and transaction
/// ids carry 128 random bits so they cannot be predicted or collide; a datatoken's
/// address follows from its NFT and service.
enum Identifiers {
    static func randomBytes(_ count: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in rng.next() }
    }

    static func nftAddress(owner: EthereumAddress) -> EthereumAddress {
        EthereumAddress(suffixOf: Keccak256.hash(Array("sluice:nft".utf8) + owner.bytes + randomBytes(16)))
    }

    static func datatokenAddress(nft: EthereumAddress, serviceId: String) -> EthereumAddress {
        EthereumAddress(suffixOf: Keccak256.hash(Array("sluice:datatoken".utf8) + nft.bytes + Array(serviceId.utf8)))
    }

    static func transactionId() -> String {
        Hex.encode(Keccak256.hash(Array("sluice:tx".utf8) + randomBytes(32)), prefix: true)
    }
}
