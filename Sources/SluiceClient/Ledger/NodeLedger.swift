import NIOHTTP1
public import SluiceCore
import SluiceCrypto

/// The node's embedded ledger, through its signed `/api/sluice` writes: the node creates
/// NFTs and datatokens, binds file lists to them and keeps balances and orders.
public struct NodeLedger: AssetLedger {
    public init() {}

    public func publish(_ asset: AssetPublication, node: NodeClient, by wallet: Wallet) async throws(ClientError) -> DDO {
        // An unbound list: the node binds it to the NFT and datatoken it creates.
        let files = try await node.encrypt(JSONValue.array([asset.file.fileObject]).compactJSON())
        let services: [JSONValue] = asset.services.map { s in
            var o: [String: JSONValue] = ["id": .string(s.id), "type": .string(s.type), "files": .string(files),
                                          "timeout": .integer(Int64(s.timeout))]
            if let compute = s.compute { o["compute"] = compute }
            return .object(o)
        }
        let draft: [String: JSONValue] = ["metadata": .object(asset.metadata), "services": .array(services)]
        let bytes = try await node.signedWrite(.POST, Paths.sluiceAssets, action: "publish", payload: draft, by: wallet)
        return try node.decode(DDO.self, bytes, what: "published asset")
    }

    public func trust(_ algorithm: DID, on dataset: DID, serviceId: String, node: NodeClient,
                      by wallet: Wallet) async throws(ClientError) -> DDO {
        // The node computes the checksums from the algorithm as it holds it.
        let bytes = try await node.signedWrite(.POST, Paths.sluiceAssets + "/\(dataset.text)/trust", action: "trust",
                                               payload: ["serviceId": .string(serviceId), "algorithmDid": .string(algorithm.text)],
                                               by: wallet)
        return try node.decode(DDO.self, bytes, what: "updated asset")
    }

    public func mint(datatoken: EthereumAddress, to holder: EthereumAddress, amount: TokenAmount, node: NodeClient,
                     by wallet: Wallet) async throws(ClientError) -> TokenAmount {
        let bytes = try await node.signedWrite(.POST, Paths.sluiceTokens + "/\(datatoken.lowercased)/mint", action: "mint",
                                               payload: ["to": .string(holder.lowercased), "amount": .string(amount.description)],
                                               by: wallet)
        return try node.balance(in: bytes)
    }

    public func transfer(token: EthereumAddress, to holder: EthereumAddress, amount: TokenAmount, node: NodeClient,
                         by wallet: Wallet) async throws(ClientError) -> TokenAmount {
        let bytes = try await node.signedWrite(.POST, Paths.sluiceTokens + "/\(token.lowercased)/transfer", action: "transfer",
                                               payload: ["to": .string(holder.lowercased), "amount": .string(amount.description)],
                                               by: wallet)
        return try node.balance(in: bytes)
    }

    public func balance(token: EthereumAddress, holder: EthereumAddress, node: NodeClient) async throws(ClientError) -> TokenAmount {
        let bytes = try await node.http.send(.GET, Paths.sluiceTokens + "/\(token.lowercased)/balance", query: [("holder", holder.lowercased)])
        return try node.balance(in: bytes)
    }

    public func startOrder(datatoken: EthereumAddress, consumer: EthereumAddress, serviceIndex: Int, providerFee: ProviderFee,
                           node: NodeClient, by wallet: Wallet) async throws(ClientError) -> String {
        let bytes = try await node.signedWrite(.POST, Paths.sluiceOrders, action: "startOrder", payload: [
            "datatoken": .string(datatoken.checksummed), "consumer": .string(consumer.checksummed),
            "serviceIndex": .integer(Int64(serviceIndex)), "providerFee": providerFee.json,
        ], by: wallet)
        return try transactionId(in: bytes, node: node)
    }

    public func reuseOrder(_ orderId: String, datatoken: EthereumAddress, providerFee: ProviderFee, node: NodeClient,
                           by wallet: Wallet) async throws(ClientError) -> String {
        let bytes = try await node.signedWrite(.POST, Paths.sluiceOrders + "/\(orderId)/reuse", action: "reuseOrder",
                                               payload: ["providerFee": providerFee.json], by: wallet)
        return try transactionId(in: bytes, node: node)
    }

    func transactionId(in bytes: [UInt8], node: NodeClient) throws(ClientError) -> String {
        guard let tx = try node.decode(JSONValue.self, bytes, what: "order")["transactionId"]?.stringValue else {
            throw .unexpectedAnswer(node: node.nodeURL, detail: "the order has no transactionId")
        }
        return tx
    }
}
