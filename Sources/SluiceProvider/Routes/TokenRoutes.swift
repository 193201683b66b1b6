import Hummingbird
import SluiceApplication
import SluiceCore
import SluiceCrypto
import SluiceLedger

extension Router {
    /// The embedded ledger's datatokens: info, balances, mint (by the minter), transfer.
    func addTokenRoutes(node: SluiceNode) {
        get(RouterPath(Paths.sluiceTokens + "/:token")) { _, context in
            try node.requireEmbeddedLedger()
            let token = try Self.tokenAddress(context)
            guard let dt = try await node.embedded.datatoken(token) else {
                throw RequestError.notFound("no datatoken \(token.checksummed)", field: "token")
            }
            return JSONResponse.text(JSONValue.object([
                "address": .string(dt.address.checksummed), "nftAddress": .string(dt.nft.checksummed),
                "minter": .string(dt.minter.checksummed), "name": .string(dt.name), "symbol": .string(dt.symbol),
                "serviceId": .string(dt.serviceId),
                "did": .string(DID.derive(nftAddress: dt.nft, chainId: node.config.chainId).text),
            ]).compactJSON())
        }

        get(RouterPath(Paths.sluiceTokens + "/:token/balance")) { request, context in
            // On a chain node the balance that counts is the chain's.
            try node.requireEmbeddedLedger()
            let token = try Self.tokenAddress(context)
            guard let holderText = request.uri.queryParameters["holder"].map(String.init), let holder = EthereumAddress(holderText) else {
                throw RequestError.badRequest("holder must be an address: 0x followed by 40 hex digits", field: "holder")
            }
            return try await Self.balance(of: holder, in: token, node: node)
        }

        post(RouterPath(Paths.sluiceTokens + "/:token/mint")) { request, context in
            let token = try Self.tokenAddress(context)
            var request = request
            let write = try await SignedWrite.read(&request, node: node, action: "mint")
            let to = try write.address("to")
            let amount = try write.amount()
            try await node.embedded.mint(datatoken: token, to: to, amount: amount, by: write.auth)
            return try await Self.balance(of: to, in: token, node: node)
        }

        post(RouterPath(Paths.sluiceTokens + "/:token/transfer")) { request, context in
            let token = try Self.tokenAddress(context)
            var request = request
            let write = try await SignedWrite.read(&request, node: node, action: "transfer")
            let to = try write.address("to")
            let amount = try write.amount()
            try await node.embedded.transfer(token: token, to: to, amount: amount, by: write.auth)
            return try await Self.balance(of: write.auth.signer, in: token, node: node)
        }
    }

    /// What the balance, mint and transfer routes answer: the holder's balance now.
    static func balance(of holder: EthereumAddress, in token: EthereumAddress, node: SluiceNode) async throws -> Response {
        let balance = try await node.embedded.balance(token: token, holder: holder)
        return try JSONResponse.encode(TokenBalance(token: token, holder: holder, balance: balance))
    }

    static func tokenAddress(_ context: some RequestContext) throws(RequestError) -> EthereumAddress {
        guard let text = context.parameters.get("token"), let address = EthereumAddress(text) else {
            throw .badRequest("the token in the path must be an address: 0x followed by 40 hex digits", field: "token")
        }
        return address
    }
}
