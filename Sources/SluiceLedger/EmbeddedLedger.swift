public import Foundation
public import SluiceCore
import SluiceCrypto

/// The embedded ledger: data NFTs, datatokens, balances and orders kept in the node's own
/// database. It applies the rules Ocean's contracts apply on chain; the store makes each
/// write atomic with the nonce that authorises it.
public struct EmbeddedLedger: Ledger {
    let store: any EmbeddedLedgerStore
    let chainId: Int
    let files: FileListCipher
    /// The node's base URL, written as every service's `serviceEndpoint`.
    let serviceEndpoint: String
    let now: @Sendable () -> Int

    public init(store: any EmbeddedLedgerStore, chainId: Int, files: FileListCipher, serviceEndpoint: String,
                now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }) {
        self.store = store
        self.chainId = chainId
        self.files = files
        self.serviceEndpoint = serviceEndpoint
        self.now = now
    }

    // MARK: Assets

    /// Creates the data NFT, a datatoken per service whose minter is the publisher, and
    /// the DDO, in one step.
    public func publish(_ draft: AssetDraft, by auth: Authorization) async throws -> DDO {
        let created = now()
        let nftAddress = Identifiers.nftAddress(owner: auth.signer)
        let did = DID.derive(nftAddress: nftAddress, chainId: chainId)
        var datatokens: [DatatokenRecord] = []
        var services: [AssetService] = []
        for (i, s) in draft.services.enumerated() {
            let dt = Identifiers.datatokenAddress(nft: nftAddress, serviceId: s.id)
            datatokens.append(DatatokenRecord(address: dt, nft: nftAddress, minter: auth.signer,
                                              name: "Datatoken \(i + 1)", symbol: "DT\(i + 1)", serviceId: s.id))
            services.append(try service(from: s, nft: nftAddress, datatoken: dt, index: i))
        }
        let nft = DataNFTRecord(address: nftAddress, owner: auth.signer, name: draft.nftName ?? "Sluice Data NFT",
                                symbol: draft.nftSymbol ?? "SDN", created: created)
        let stamp = DDODate.string(unixSeconds: created)
        let ddo = DDO(
            id: did, chainId: chainId, nftAddress: nftAddress,
            metadata: metadata(from: draft, created: stamp, updated: stamp),
            services: services,
            nft: NFTSummary(address: nftAddress.checksummed, name: nft.name, symbol: nft.symbol,
                            owner: auth.signer.checksummed, created: stamp),
            datatokens: datatokens.map { DatatokenSummary(address: $0.address.checksummed, name: $0.name, symbol: $0.symbol, serviceId: $0.serviceId) })
        try await store.publish(ddo, nft: nft, datatokens: datatokens, authorizedBy: auth)
        return ddo
    }

    /// Replaces an asset's metadata and services. Existing services keep their ids,
    /// order and datatokens (orders name services by position); new ones may be appended.
    public func update(_ did: DID, with draft: AssetDraft, by auth: Authorization) async throws -> DDO {
        guard var ddo = try await store.asset(did) else {
            throw RequestError.notFound("no asset with DID \(did)", field: "did")
        }
        let nftAddress = ddo.nftAddress
        guard draft.type == ddo.metadata.type else {
            throw RequestError.badRequest("metadata.type cannot change from \(ddo.metadata.type.rawValue)", field: "metadata.type")
        }
        guard draft.services.count >= ddo.services.count else {
            throw RequestError.badRequest("services cannot be removed: orders refer to them by position", field: "services")
        }
        var services: [AssetService] = []
        var newDatatokens: [DatatokenRecord] = []
        for (i, s) in draft.services.enumerated() {
            let dt: EthereumAddress
            if i < ddo.services.count {
                guard ddo.services[i].id == s.id else {
                    throw RequestError.badRequest("services[\(i)].id must stay \"\(ddo.services[i].id)\"", field: "services[\(i)].id")
                }
                dt = ddo.services[i].datatokenAddress
            } else {
                dt = Identifiers.datatokenAddress(nft: nftAddress, serviceId: s.id)
                newDatatokens.append(DatatokenRecord(address: dt, nft: nftAddress, minter: auth.signer,
                                                     name: "Datatoken \(i + 1)", symbol: "DT\(i + 1)", serviceId: s.id))
                ddo.datatokens.append(DatatokenSummary(address: dt.checksummed, name: "Datatoken \(i + 1)", symbol: "DT\(i + 1)", serviceId: s.id))
            }
            services.append(try service(from: s, nft: nftAddress, datatoken: dt, index: i))
        }
        ddo.services = services
        ddo.metadata = metadata(from: draft, created: ddo.metadata.created, updated: DDODate.string(unixSeconds: now()))
        try await store.update(ddo, newDatatokens: newDatatokens, authorizedBy: auth)
        return ddo
    }

    /// Writes a trusted-algorithm entry (replacing one for the same DID) into a compute
    /// service of the signer's dataset, and optionally its publisher allow-list.
    public func setTrust(_ did: DID, serviceId: String, algorithm: TrustedAlgorithm?, publishers: [EthereumAddress]?,
                         by auth: Authorization) async throws -> DDO {
        guard var ddo = try await store.asset(did) else { throw RequestError.notFound("no asset with DID \(did)", field: "did") }
        guard let (index, service) = ddo.service(id: serviceId) else {
            throw RequestError.notFound("asset \(did) has no service \"\(serviceId)\"", field: "serviceId")
        }
        guard service.type == .compute else {
            throw RequestError.badRequest("service \"\(serviceId)\" is not a compute service", field: "serviceId")
        }
        var options = service.compute ?? ComputeOptions()
        if let algorithm {
            options.publisherTrustedAlgorithms.removeAll { $0.did == algorithm.did }
            options.publisherTrustedAlgorithms.append(algorithm)
        }
        if let publishers { options.publisherTrustedAlgorithmPublishers = publishers.map(\.checksummed) }
        ddo.services[index].compute = options
        ddo.metadata.updated = DDODate.string(unixSeconds: now())
        try await store.update(ddo, newDatatokens: [], authorizedBy: auth)
        return ddo
    }

    func service(from s: AssetDraft.Service, nft: EthereumAddress, datatoken: EthereumAddress, index: Int) throws -> AssetService {
        let bound = try files.bind(s.files, nft: nft, datatoken: datatoken, field: "services[\(index)].files")
        return AssetService(id: s.id, type: s.type, name: s.name, description: s.description,
                            files: Hex.encode(bound, prefix: true), datatokenAddress: datatoken,
                            serviceEndpoint: serviceEndpoint, timeout: s.timeout, compute: s.compute)
    }

    func metadata(from draft: AssetDraft, created: String, updated: String) -> AssetMetadata {
        AssetMetadata(created: created, updated: updated, type: draft.type, name: draft.name, description: draft.description,
                      author: draft.author, license: draft.license, tags: draft.tags,
                      additionalInformation: draft.additionalInformation, algorithm: draft.algorithm)
    }

    // MARK: Tokens

    public func mint(datatoken: EthereumAddress, to: EthereumAddress, amount: TokenAmount, by auth: Authorization) async throws {
        guard amount > .zero else { throw RequestError.badRequest("amount must be greater than 0", field: "amount") }
        try await store.mint(datatoken: datatoken, to: to, amount: amount, authorizedBy: auth)
    }

    public func transfer(token: EthereumAddress, to: EthereumAddress, amount: TokenAmount, by auth: Authorization) async throws {
        guard amount > .zero else { throw RequestError.badRequest("amount must be greater than 0", field: "amount") }
        guard to != auth.signer else { throw RequestError.badRequest("to must differ from the sender", field: "to") }
        try await store.transfer(token: token, to: to, amount: amount, authorizedBy: auth)
    }

    // MARK: Orders

    /// `startOrder`: the payer (signer) pays one datatoken to the asset's publisher so that
    /// `consumer` may use service `serviceIndex`; the provider fee must be signed by its
    /// `providerFeeAddress`, as the datatoken contract checks.
    public func startOrder(datatoken: EthereumAddress, consumer: EthereumAddress, serviceIndex: Int,
                           providerFee: ProviderFee, by auth: Authorization) async throws -> Order {
        guard let token = try await store.datatoken(datatoken) else {
            throw RequestError.notFound("no datatoken \(datatoken.checksummed)", field: "datatoken")
        }
        guard let nft = try await store.nft(token.nft),
              let ddo = try await store.asset(DID.derive(nftAddress: token.nft, chainId: chainId)) else {
            throw RequestError.notFound("the datatoken's asset is not known to this node", field: "datatoken")
        }
        guard ddo.services.indices.contains(serviceIndex),
              ddo.services[serviceIndex].datatokenAddress == datatoken else {
            throw RequestError.badRequest("serviceIndex \(serviceIndex) is not the service of this datatoken", field: "serviceIndex")
        }
        try Self.checkFeeSignature(providerFee)
        guard let one = TokenAmount.tokens(1) else { throw RequestError.badRequest("amount overflow") }
        let order = Order(transactionId: Identifiers.transactionId(), datatoken: datatoken,
                          consumer: consumer, payer: auth.signer, serviceIndex: serviceIndex,
                          amount: one, providerFee: providerFee, timestamp: now())
        try await store.placeOrder(order, paymentTo: nft.owner, authorizedBy: auth)
        return order
    }

    /// `reuseOrder`: renews the provider fee of an existing order without paying the
    /// datatoken again. The new transaction id refers back to the original order.
    public func reuseOrder(_ transactionId: String, providerFee: ProviderFee, by auth: Authorization) async throws -> Order {
        guard var original = try await store.order(transactionId) else {
            throw RequestError.notFound("no order \(transactionId)", field: "orderTxId")
        }
        if let root = original.reusedOrderId, let rootOrder = try await store.order(root) { original = rootOrder }
        guard auth.signer == original.payer || auth.signer == original.consumer else {
            throw RequestError.forbidden("only the order's payer or consumer may reuse it", field: "address")
        }
        try Self.checkFeeSignature(providerFee)
        let order = Order(transactionId: Identifiers.transactionId(), reusedOrderId: original.transactionId,
                          datatoken: original.datatoken, consumer: original.consumer, payer: original.payer,
                          serviceIndex: original.serviceIndex, amount: .zero, providerFee: providerFee, timestamp: now())
        try await store.placeOrder(order, paymentTo: auth.signer, authorizedBy: auth)
        return order
    }

    public func order(_ transactionId: String) async throws -> LedgerOrder? {
        guard let order = try await store.order(transactionId) else { return nil }
        let original = try await order.reusedOrderId.asyncMap { try await store.order($0) } ?? nil
        return LedgerOrder(order: order, original: original)
    }

    // MARK: Reads

    public func datatoken(_ address: EthereumAddress) async throws -> DatatokenRecord? {
        try await store.datatoken(address)
    }

    public func balance(token: EthereumAddress, holder: EthereumAddress) async throws -> TokenAmount {
        try await store.balance(token: token, holder: holder)
    }

    /// The order as stored, without the one it renews.
    public func storedOrder(_ transactionId: String) async throws -> Order? {
        try await store.order(transactionId)
    }

    static func checkFeeSignature(_ fee: ProviderFee) throws {
        guard let signer = ProviderFees.signer(of: fee), signer == fee.providerFeeAddress else {
            throw RequestError.badRequest("providerFee is not signed by its providerFeeAddress", field: "providerFee")
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
