import Foundation
public import SluiceCore
import SluiceCrypto
import SluiceEVM

extension ChainLedger {
    /// As ocean-lib publishes: `createNftWithErc20` makes the data NFT and one datatoken
    /// (every service orders with it, told apart by service index), the file list is
    /// encrypted by the node bound to both, and `setMetaData` stores the DDO on the NFT,
    /// xz-compressed and encrypted to the node's key (flags 3). The node indexes it.
    public func publish(_ asset: AssetPublication, node: NodeClient, by wallet: Wallet) async throws(ClientError) -> DDO {
        guard let factory = config.nftFactory else {
            throw .invalidInput("The chain config names no contracts.ERC721Factory, which publishing on chain \(config.chainId) needs.")
        }
        let provider = try await providerAddress(of: node)
        let name = String((asset.metadata["name"]?.stringValue ?? "Sluice asset").prefix(64))
        let (nft, datatoken) = try await createNFT(factory: factory, name: name, by: wallet)
        let files = try await node.encrypt(JSONValue.object([
            "nftAddress": .string(nft.checksummed), "datatokenAddress": .string(datatoken.checksummed),
            "files": .array([asset.file.fileObject]),
        ]).compactJSON())
        let did = DID.derive(nftAddress: nft, chainId: config.chainId)
        let now = DDODate.now()
        var metadata = asset.metadata
        metadata["created"] = .string(now)
        metadata["updated"] = .string(now)
        let services: [JSONValue] = asset.services.map { s in
            var o: [String: JSONValue] = [
                "id": .string(s.id), "type": .string(s.type), "files": .string(files), "datatokenAddress": .string(datatoken.checksummed),
                "serviceEndpoint": .string(node.nodeURL), "timeout": .integer(Int64(s.timeout)),
            ]
            if let compute = s.compute { o["compute"] = compute }
            return .object(o)
        }
        let document = JSONValue.object([
            "@context": .array([.string("https://w3id.org/did/v1")]), "id": .string(did.text), "version": .string("4.1.0"),
            "chainId": .integer(Int64(config.chainId)), "nftAddress": .string(nft.checksummed),
            "metadata": .object(metadata), "services": .array(services),
        ])
        try await setMetadata(document, on: nft, provider: provider, node: node, by: wallet, what: "publish the DDO of \(did.text)")
        return try await indexed(did, node: node) { _ in true }
    }

    /// Writes the trusted-algorithm entry into the dataset's DDO and publishes the new
    /// version with `setMetaData`. The checksums are the node's: the files' SHA-256 from
    /// its fileinfo, as it will compare them when a job starts.
    public func trust(_ algorithmDID: DID, on datasetDID: DID, serviceId: String, node: NodeClient,
                      by wallet: Wallet) async throws(ClientError) -> DDO {
        let dataset = try await node.resolve(datasetDID.text), algorithm = try await node.resolve(algorithmDID.text)
        guard let (index, service) = dataset.service(id: serviceId), service.type == .compute else {
            throw .invalidInput("Asset \(dataset.id.text) has no compute service \"\(serviceId)\".")
        }
        guard algorithm.isAlgorithm, let container = algorithm.metadata.algorithm?.container, let algoService = algorithm.services.first else {
            throw .invalidInput("Asset \(algorithm.id.text) is not an algorithm.")
        }
        guard EthereumAddress(dataset.nft.owner) == wallet.address else {
            throw .invalidInput("Only the owner of \(dataset.id.text) (\(dataset.nft.owner)) can change which algorithms it trusts.")
        }
        let provider = try await providerAddress(of: node)
        let files = try await node.fileInfo(did: algorithm.id, serviceId: algoService.id, checksum: true)
        var filesChecksum = ""
        for file in files {
            guard file.valid, let checksum = file.checksum else {
                throw .invalidInput("The node cannot read file \(file.index) of algorithm \(algorithm.id.text), so it cannot be trusted.")
            }
            filesChecksum += checksum
        }
        let entry = TrustedAlgorithm(did: algorithm.id.text, filesChecksum: filesChecksum,
                                     containerSectionChecksum: SHA256Hex.of(container.entrypoint + container.checksum))
        var updated = dataset
        var options = service.compute ?? ComputeOptions()
        options.publisherTrustedAlgorithms.removeAll { $0.did == entry.did }
        options.publisherTrustedAlgorithms.append(entry)
        updated.services[index].compute = options
        updated.metadata.updated = DDODate.now()
        try await setMetadata(try Self.document(of: updated), on: dataset.nftAddress, provider: provider, node: node, by: wallet,
                              what: "update the DDO of \(dataset.id.text)")
        return try await indexed(dataset.id, node: node) { ddo in
            ddo.services.indices.contains(index) && ddo.services[index].compute?.publisherTrustedAlgorithms.contains(entry) == true
        }
    }

    /// The node's provider address on this chain, which the DDO names as its decryptor.
    func providerAddress(of node: NodeClient) async throws(ClientError) -> EthereumAddress {
        let info = try await node.info()
        if info.ledger == "embedded" {
            throw .invalidInput("The node at \(node.nodeURL) keeps its own ledger and follows no chain: start it with `sluice serve --chain`, or leave out the chain config.")
        }
        guard let text = info.providerAddresses[String(config.chainId)], let address = EthereumAddress(text) else {
            let served = info.chainIds.map(String.init).joined(separator: ", ")
            throw .invalidInput("The node at \(node.nodeURL) serves chain \(served), not chain \(config.chainId) of the chain config.")
        }
        return address
    }

    func createNFT(factory: EthereumAddress, name: String, by wallet: Wallet) async throws(ClientError) -> (nft: EthereumAddress, datatoken: EthereumAddress) {
        let owner = wallet.address
        let nftData = ABIValue.tuple([.string(name), .string("SLUICE-NFT"), .uint(1), .string(""), .bool(true), .address(owner)])
        // Template 1; the publisher mints and collects payments; no publish-market fee; the cap is the maximum.
        let datatokenData = ABIValue.tuple([
            .uint(1), .array([.string(name + " Datatoken"), .string("SLUICE-DT")]),
            .array([.address(owner), .address(owner), .address(.zero), .address(.zero)]),
            .array([.uint(.max), .uint(0)]), .array([]),
        ])
        let receipt = try await perform("create the data NFT") {
            try await sender(wallet).transact(OceanContracts.createNftWithErc20, on: factory, [nftData, datatokenData])
        }
        var nft: EthereumAddress?, datatoken: EthereumAddress?
        for log in receipt.logs where log.address == factory && !log.removed {
            if log.topics.first == OceanContracts.nftCreated.topic {
                nft = (try? OceanContracts.nftCreated.decode(topics: log.topics, data: log.data))?["newTokenAddress"]?.addressValue
            } else if log.topics.first == OceanContracts.tokenCreated.topic {
                datatoken = (try? OceanContracts.tokenCreated.decode(topics: log.topics, data: log.data))?["newTokenAddress"]?.addressValue
            }
        }
        guard let nft, let datatoken else {
            throw .chain("Transaction \(receipt.transactionHash) of \(factory.checksummed) created no data NFT and datatoken; is that Ocean's ERC721Factory?")
        }
        return (nft, datatoken)
    }

    /// `setMetaData` with the document compressed locally and encrypted by the node.
    func setMetadata(_ document: JSONValue, on nft: EthereumAddress, provider: EthereumAddress, node: NodeClient,
                     by wallet: Wallet, what: String) async throws(ClientError) {
        let plain = Array(document.compactJSON().utf8)
        let compressed: [UInt8]
        do {
            compressed = try XZ.compress(plain)
        } catch {
            throw .invalidInput("The DDO could not be compressed: \(error).")
        }
        guard let sealed = Hex.decode(try await node.encrypt(octets: compressed)) else {
            throw .unexpectedAnswer(node: node.nodeURL, detail: "encrypt did not answer hex")
        }
        let publication = MetadataPublication(flags: 3, data: sealed, document: plain)
        // The node checks the DDO and signs its hash, as ocean-lib asks Aquarius to: nodes
        // that accept only validated documents then index it.
        let proof = try await node.validate(document: plain)
        let arguments: [ABIValue]
        do {
            arguments = try publication.setMetaDataArguments(decryptorUrl: node.nodeURL, decryptorAddress: provider, proofs: [proof])
        } catch {
            throw .unexpectedAnswer(node: node.nodeURL, detail: error.description)
        }
        _ = try await perform(what) {
            try await sender(wallet).transact(OceanContracts.setMetaData, on: nft, arguments)
        }
    }

    /// Waits until the node serves a version of `did` that `isCurrent` accepts.
    func indexed(_ did: DID, node: NodeClient, until isCurrent: (DDO) -> Bool) async throws(ClientError) -> DDO {
        let clock = ContinuousClock()
        let deadline = clock.now + indexTimeout
        while true {
            do {
                let ddo = try await node.resolve(did.text)
                if isCurrent(ddo) { return ddo }
            } catch .node(status: 404, _, _) {
                // Not indexed yet.
            }
            guard clock.now < deadline else {
                throw .notIndexed(did: did.text, node: node.nodeURL, seconds: Int(indexTimeout.components.seconds))
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    /// The DDO as its publisher writes it: without what the indexer adds from the chain.
    static func document(of ddo: DDO) throws(ClientError) -> JSONValue {
        guard let data = try? JSONEncoder().encode(ddo), case .object(var o)? = try? JSONValue.parse(Array(data)) else {
            throw .invalidInput("The DDO of \(ddo.id.text) could not be encoded.")
        }
        for key in ["nft", "datatokens", "event", "stats", "purgatory"] { o[key] = nil }
        return .object(o)
    }
}
