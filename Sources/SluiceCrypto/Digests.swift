import Crypto
public import SluiceCore

/// SHA-256 as lowercase hex: the form Ocean uses for DIDs and checksums.
public enum SHA256Hex {
    public static func of(_ bytes: some Sequence<UInt8>) -> String {
        Hex.encode(digest(of: bytes))
    }

    /// The 32 bytes themselves.
    public static func digest(of bytes: some Sequence<UInt8>) -> [UInt8] {
        Array(SHA256.hash(data: Array(bytes)))
    }

    public static func of(_ text: String) -> String { of(Array(text.utf8)) }
}

/// Incremental SHA-256 for streams (file checksums).
public struct StreamingSHA256 {
    private var hasher = SHA256()
    public init() {}
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
    public mutating func update(_ bytes: [UInt8]) { hasher.update(data: bytes) }
    public func hexDigest() -> String { Hex.encode(Array(hasher.finalize())) }
}

extension DID {
    /// Ocean's DID of an asset: `did:op:` + sha256(EIP-55 NFT address + chain id in decimal).
    public static func derive(nftAddress: EthereumAddress, chainId: Int) -> DID {
        DID(unchecked: "did:op:" + SHA256Hex.of(nftAddress.checksummed + String(chainId)))
    }
}
