import Hummingbird
import SluiceApplication
import SluiceCore
import SluiceCrypto

extension Router {
    /// `POST /api/services/encrypt[?chainId=N]`: the body's bytes encrypted to the
    /// provider's key (ECIES, as Ocean's provider does), answered as `0x` hex text.
    func addEncryptRoute(node: SluiceNode) {
        post(RouterPath(Paths.encrypt)) { request, _ in
            if let chainId = try ChainIdParameter.read(request), chainId != node.config.chainId {
                throw RequestError.badRequest("chainId \(chainId) is not served by this provider (it serves \(node.config.chainId))", field: "chainId")
            }
            var request = request
            let body = try await request.collectBody(upTo: node.config.maxRequestBodyBytes)
            guard body.readableBytes > 0 else { throw RequestError.badRequest("the body to encrypt is empty") }
            let sealed = try ECIES.encrypt(Array(buffer: body), to: node.providerAddressKey)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain"
            return Response(status: .created, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: Hex.encode(sealed, prefix: true))))
        }
    }
}

extension SluiceNode {
    var providerAddressKey: PublicKey { providerKey.publicKey }
}
