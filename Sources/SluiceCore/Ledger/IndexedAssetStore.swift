/// Where a chain indexer keeps what it read: the DDOs it resolved and how far it got, in
/// one transaction so a restart resumes exactly after the last block applied.
public protocol IndexedAssetStore: AssetStore {
    /// Inserts or replaces `ddos` (by DID) and moves the chain's cursor to `cursor`.
    func applyIndexed(_ ddos: [DDO], cursor: ChainCursor) async throws
    /// The last block indexed on `chainId`, nil before the first.
    func indexCursor(chainId: Int) async throws -> ChainCursor?
}

/// The last block an indexer applied, with its hash to notice a reorganisation under it.
public struct ChainCursor: Sendable, Equatable {
    public var chainId: Int
    public var blockNumber: Int
    public var blockHash: String

    public init(chainId: Int, blockNumber: Int, blockHash: String) {
        self.chainId = chainId
        self.blockNumber = blockNumber
        self.blockHash = blockHash
    }
}
