import SluiceCore

/// The calls and events of Ocean's v4 contracts that Sluice uses (ERC721Template,
/// ERC20Template), by their Solidity signatures.
public enum OceanContracts {
    // MARK: Datatoken (ERC20Template)

    public static let getERC721Address = ABIFunction("getERC721Address", returns: [.address])
    public static let name = ABIFunction("name", returns: [.string])
    public static let symbol = ABIFunction("symbol", returns: [.string])
    public static let balanceOf = ABIFunction("balanceOf", [.address], returns: [.uint256])

    /// `(providerFeeAddress, providerFeeToken, providerFeeAmount, v, r, s, validUntil, providerData)`.
    public static let providerFeeTuple = ABIType.tuple([.address, .address, .uint256, .uint8, .bytes32, .bytes32, .uint256, .bytes])
    /// `(consumeMarketFeeAddress, consumeMarketFeeToken, consumeMarketFeeAmount)`.
    public static let consumeMarketFeeTuple = ABIType.tuple([.address, .address, .uint256])
    public static let startOrder = ABIFunction("startOrder", [.address, .uint256, providerFeeTuple, consumeMarketFeeTuple])
    public static let reuseOrder = ABIFunction("reuseOrder", [.bytes32, providerFeeTuple])
    public static let mint = ABIFunction("mint", [.address, .uint256])
    public static let transfer = ABIFunction("transfer", [.address, .uint256], returns: [.bool])
    public static let approve = ABIFunction("approve", [.address, .uint256], returns: [.bool])

    public static let orderStarted = ABIEvent("OrderStarted", [
        .init("consumer", .address, indexed: true), .init("payer", .address), .init("amount", .uint256),
        .init("serviceIndex", .uint256), .init("timestamp", .uint256),
        .init("publishMarketAddress", .address, indexed: true), .init("blockNumber", .uint256),
    ])
    public static let providerFee = ABIEvent("ProviderFee", [
        .init("providerFeeAddress", .address, indexed: true), .init("providerFeeToken", .address, indexed: true),
        .init("providerFeeAmount", .uint256), .init("providerData", .bytes), .init("v", .uint8),
        .init("r", .bytes32), .init("s", .bytes32), .init("validUntil", .uint256),
    ])
    public static let orderReused = ABIEvent("OrderReused", [
        .init("orderTxId", .bytes32), .init("caller", .address), .init("timestamp", .uint256), .init("number", .uint256),
    ])

    // MARK: Factory

    /// `createNftWithErc20(NftCreateData, ErcCreateData)`: a data NFT
    /// `(name, symbol, templateIndex, tokenURI, transferable, owner)` with one datatoken
    /// `(templateIndex, [name, symbol], [minter, paymentCollector, publishMarket, publishMarketFeeToken],
    /// [cap, publishMarketFeeAmount], [])`.
    public static let createNftWithErc20 = ABIFunction("createNftWithErc20", [
        .tuple([.string, .string, .uint256, .string, .bool, .address]),
        .tuple([.uint256, .array(.string), .array(.address), .array(.uint256), .array(.bytes)]),
    ], returns: [.address, .address])
    public static let nftCreated = ABIEvent("NFTCreated", [
        .init("newTokenAddress", .address), .init("templateAddress", .address, indexed: true), .init("tokenName", .string),
        .init("admin", .address, indexed: true), .init("symbol", .string), .init("tokenURI", .string),
        .init("transferable", .bool), .init("creator", .address, indexed: true),
    ])
    public static let tokenCreated = ABIEvent("TokenCreated", [
        .init("newTokenAddress", .address, indexed: true), .init("templateAddress", .address, indexed: true),
        .init("name", .string), .init("symbol", .string), .init("cap", .uint256), .init("creator", .address),
    ])

    /// The factory's record of a data NFT it created: the NFT's own address, else zero.
    public static let erc721List = ABIFunction("erc721List", [.address], returns: [.address])

    // MARK: Data NFT (ERC721Template)

    /// `setMetaData(state, decryptorUrl, decryptorAddress, flags, data, metaDataHash, proofs)`;
    /// a proof is `(validatorAddress, v, r, s)`.
    public static let setMetaData = ABIFunction("setMetaData", [
        .uint8, .string, .string, .bytes, .bytes, .bytes32, .array(.tuple([.address, .uint8, .bytes32, .bytes32])),
    ])
    /// `setMetaDataState(state)`: the owner marks the asset active, end-of-life, deprecated,
    /// revoked, ordering-disabled or unlisted (`MetadataState`).
    public static let setMetaDataState = ABIFunction("setMetaDataState", [.uint8])
    public static let ownerOf = ABIFunction("ownerOf", [.uint256], returns: [.address])
    public static let tokenURI = ABIFunction("tokenURI", [.uint256], returns: [.string])

    static func metadataEvent(_ name: String, by: String) -> ABIEvent {
        ABIEvent(name, [
            .init(by, .address, indexed: true), .init("state", .uint8), .init("decryptorUrl", .string),
            .init("flags", .bytes), .init("data", .bytes), .init("metaDataHash", .bytes32),
            .init("timestamp", .uint256), .init("blockNumber", .uint256),
        ])
    }
    public static let metadataCreated = metadataEvent("MetadataCreated", by: "createdBy")
    public static let metadataUpdated = metadataEvent("MetadataUpdated", by: "updatedBy")
    /// One per proof `setMetaData` was given; the template checked the signature unless the
    /// validator is the zero address.
    public static let metadataValidated = ABIEvent("MetadataValidated", [
        .init("validator", .address, indexed: true), .init("metaDataHash", .bytes32), .init("v", .uint8),
        .init("r", .bytes32), .init("s", .bytes32),
    ])
    public static let metadataState = ABIEvent("MetadataState", [
        .init("updatedBy", .address, indexed: true), .init("state", .uint8), .init("timestamp", .uint256),
        .init("blockNumber", .uint256),
    ])
}
