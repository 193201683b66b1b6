import Foundation
public import Logging
public import SluiceCore
public import SluiceCrypto

/// Follows a chain's `MetadataCreated`/`MetadataUpdated`/`MetadataState` events into the
/// node's asset store, `confirmations` blocks behind the head, from `startBlock` or from where the
/// store's cursor says the last run stopped. An event whose document cannot be read is
/// logged and skipped, as Ocean's Aquarius does: one bad asset must not stop the index.
public actor MetadataIndexer {
    let client: JSONRPCClient
    let config: ChainConfig
    let store: any IndexedAssetStore
    let key: PrivateKey
    let logger: Logger
    /// Blocks between the chain's head and the last block indexed, at the last sync.
    public private(set) var lagBlocks: Int?
    public nonisolated var chainId: Int { config.chainId }

    public init(client: JSONRPCClient, config: ChainConfig, store: any IndexedAssetStore, key: PrivateKey,
                logger: Logger = Logger(label: "sluice.evm.indexer")) {
        self.client = client
        self.config = config
        self.store = store
        self.key = key
        self.logger = logger
    }

    /// Polls until cancelled; a chain that does not answer is retried at the next poll.
    public func run() async {
        while !Task.isCancelled {
            do {
                _ = try await syncOnce()
            } catch {
                // Shutting down surfaces as a failed request: not worth a warning.
                if Task.isCancelled { return }
                logger.warning("indexing chain \(config.chainId) paused: \(error)")
            }
            try? await Task.sleep(for: config.pollInterval)
        }
    }

    /// Indexes every confirmed block not yet applied; returns the last block applied.
    @discardableResult
    public func syncOnce() async throws -> Int? {
        let head = try await client.blockNumber()
        let safe = head - config.confirmations
        var from = try await resumeBlock()
        var last: Int? = from > config.startBlock ? from - 1 : nil
        while from <= safe {
            try Task.checkCancellation()
            let to = min(from + config.logBatchBlocks - 1, safe)
            let logs = try await client.logs(from: from, to: to, topics: [Self.topics])
            var ddos: [String: DDO] = [:]
            var order: [String] = []
            for log in logs.sorted(by: { ($0.blockNumber, $0.logIndex) < ($1.blockNumber, $1.logIndex) }) where !log.removed {
                guard let ddo = try await index(log, pending: ddos) else { continue }
                if ddos[ddo.id.text] == nil { order.append(ddo.id.text) }
                ddos[ddo.id.text] = ddo
            }
            guard let block = try await client.block(to) else {
                throw RPCError.malformed(method: "eth_getBlockByNumber", detail: "block \(to) is missing")
            }
            try await store.applyIndexed(order.compactMap { ddos[$0] },
                                         cursor: ChainCursor(chainId: config.chainId, blockNumber: to, blockHash: block.hash))
            if !order.isEmpty { logger.info("indexed \(order.count) asset(s) from blocks \(from)...\(to)") }
            last = to
            from = to + 1
        }
        lagBlocks = max(0, head - (last ?? from - 1))
        return last
    }

    /// The events the index follows, read in one query so they apply in chain order.
    static let topics = [OceanContracts.metadataCreated.topic, OceanContracts.metadataUpdated.topic,
                         OceanContracts.metadataState.topic]

    /// The block after the cursor; when the cursor's block is no longer on the chain (a
    /// reorganisation deeper than `confirmations`), a rewind past it re-applies the
    /// events, which replace the DDOs they name.
    func resumeBlock() async throws -> Int {
        guard let cursor = try await store.indexCursor(chainId: config.chainId) else { return config.startBlock }
        if let block = try await client.block(cursor.blockNumber), block.hash == cursor.blockHash {
            return max(cursor.blockNumber + 1, config.startBlock)
        }
        let rewind = max(config.startBlock, cursor.blockNumber - max(config.confirmations, 1) * 2 - 16)
        logger.warning("block \(cursor.blockNumber) left the chain (reorganisation); re-indexing from \(rewind)")
        return rewind
    }

    /// The DDO an event sets, or nil (logged) when it cannot be used.
    /// A chain that stops answering aborts the batch instead (the cursor stays, the batch is retried).
    func index(_ log: EVMLog, pending: [String: DDO]) async throws -> DDO? {
        do {
            if log.topics.first == OceanContracts.metadataState.topic {
                return try await ddo(applyingState: log, pending: pending)
            }
            return try await ddo(from: log, pending: pending)
        } catch let error as RPCError where !error.isRevert {
            throw error
        } catch {
            logger.notice("skipped metadata of \(log.address.checksummed) in tx \(log.transactionHash): \(error)")
            return nil
        }
    }

    struct Skip: Error, CustomStringConvertible {
        let description: String
    }

    func ddo(from log: EVMLog, pending: [String: DDO]) async throws -> DDO {
        let created = log.topics.first == OceanContracts.metadataCreated.topic
        let event = created ? OceanContracts.metadataCreated : OceanContracts.metadataUpdated
        let v = try event.decode(topics: log.topics, data: log.data)
        guard let state = v["state"]?.uintValue?.int, let flags = v["flags"]?.bytesValue, let data = v["data"]?.bytesValue,
              let hash = v["metaDataHash"]?.bytesValue, let timestamp = v["timestamp"]?.uintValue?.int else {
            throw Skip(description: "malformed \(event.name) event")
        }
        let nft = log.address
        if let factory = config.nftFactory {
            let listed = try await client.call(OceanContracts.erc721List, on: factory, [.address(nft)]).first?.addressValue
            guard listed == nft else { throw Skip(description: "the NFT was not created by the configured ERC721Factory") }
        }
        let document = try MetadataDocument.open(data: data, flags: flags, hash: hash, key: key)
        if !config.allowedValidators.isEmpty { try await requireProof(for: log, hash: hash) }
        guard var json = try? JSONValue.parse(document), var o = json.objectValue else {
            throw Skip(description: "the document is not a JSON object")
        }
        let did = DID.derive(nftAddress: nft, chainId: config.chainId)
        guard o["id"]?.stringValue?.lowercased() == did.text else { throw Skip(description: "its id is not the NFT's DID \(did)") }
        guard EthereumAddress(o["nftAddress"]?.stringValue ?? "") == nft else { throw Skip(description: "its nftAddress is not the emitting NFT") }
        guard o["chainId"]?.int64Value == Int64(config.chainId) else { throw Skip(description: "its chainId is not \(config.chainId)") }

        // What Aquarius adds from the chain: the NFT, the datatokens, the event.
        let previous: DDO?
        if let p = pending[did.text] { previous = p } else { previous = try await store.asset(did) }
        let when = DDODate.string(unixSeconds: timestamp)
        o["nft"] = .object([
            "address": .string(nft.checksummed),
            "name": .string(try await string(OceanContracts.name, nft)),
            "symbol": .string(try await string(OceanContracts.symbol, nft)),
            "state": .integer(Int64(state)),
            "owner": .string(try await owner(of: nft)),
            "created": .string(previous?.nft.created ?? when),
            "tokenURI": .string((try? await string(OceanContracts.tokenURI, nft, [.uint(1)])) ?? ""),
        ])
        var datatokens: [JSONValue] = []
        for (i, service) in (o["services"]?.arrayValue ?? []).enumerated() {
            guard let text = service["datatokenAddress"]?.stringValue, let dt = EthereumAddress(text) else {
                throw Skip(description: "service \(i) has no datatokenAddress")
            }
            let owner = try await client.call(OceanContracts.getERC721Address, on: dt).first?.addressValue
            guard owner == nft else { throw Skip(description: "service \(i)'s datatoken does not belong to the NFT") }
            datatokens.append(.object([
                "address": .string(dt.checksummed), "name": .string(try await string(OceanContracts.name, dt)),
                "symbol": .string(try await string(OceanContracts.symbol, dt)),
                "serviceId": service["id"] ?? .string(""),
            ]))
        }
        o["datatokens"] = .array(datatokens)
        if o["credentials"] == nil { o["credentials"] = .object(["allow": .array([]), "deny": .array([])]) }
        o["event"] = .object([
            "tx": .string(log.transactionHash), "block": .integer(Int64(log.blockNumber)),
            "contract": .string(nft.checksummed), "datetime": .string(when),
        ])
        if o["stats"] == nil { o["stats"] = .object(["orders": .integer(0)]) }
        json = .object(o)
        do {
            return try JSONDecoder().decode(DDO.self, from: Data(json.compactJSON().utf8))
        } catch let error as DecodingError {
            switch error {
            case .keyNotFound: throw Skip(description: "the document is not a DDO this node can serve: \(error.field) is missing")
            case .typeMismatch: throw Skip(description: "the document is not a DDO this node can serve: \(error.field) has the wrong type")
            default: throw Skip(description: "the document is not a DDO this node can serve: \(error.field) is malformed")
            }
        } catch {
            throw Skip(description: "the document is not a DDO this node can serve")
        }
    }

    func string(_ f: ABIFunction, _ contract: EthereumAddress, _ args: [ABIValue] = []) async throws -> String {
        guard let s = try await client.call(f, on: contract, args).first?.stringValue else {
            throw Skip(description: "\(f.name)() of \(contract.checksummed) is not a string")
        }
        return s
    }

    /// Ocean's data NFTs hold one token, id 1, whose owner owns the asset.
    func owner(of nft: EthereumAddress) async throws -> String {
        guard let owner = try await client.call(OceanContracts.ownerOf, on: nft, [.uint(1)]).first?.addressValue else {
            throw Skip(description: "ownerOf(1) of the NFT failed")
        }
        return owner.checksummed
    }
}
