import Hummingbird
import SluiceApplication
import SluiceCore

extension Router {
    /// `GET /api/services/nonce?userAddress=0x..` → `{"nonce": N}`, the last nonce
    /// accepted for that address (0 when none).
    func addNonceRoute(node: SluiceNode) {
        get(RouterPath(Paths.nonce)) { request, _ in
            guard let text = request.uri.queryParameters["userAddress"].map(String.init), !text.isEmpty else {
                throw RequestError.badRequest("userAddress is required", field: "userAddress")
            }
            guard let address = EthereumAddress(text) else {
                throw RequestError.badRequest("userAddress must be an Ethereum address: 0x followed by 40 hex digits", field: "userAddress")
            }
            let nonce = try await node.nonces.lastNonce(of: address)
            return JSONResponse.text("{\"nonce\":\(nonce)}")
        }
    }
}
