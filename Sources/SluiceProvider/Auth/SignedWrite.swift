import Hummingbird
import SluiceApplication
import SluiceCore
import SluiceCrypto

/// A signed write to the node's own API (`/api/sluice/...`).
///
/// Body: `{"address": "0x..", "nonce": N, "signature": "0x..", "payload": "<JSON text>"}`.
/// The signature is personal-sign over `address + keccak256hex(payload) + nonce`, so it
/// covers the payload's exact bytes; the payload names its `action`, so a signature made
/// for one route cannot be replayed on another.
struct SignedWrite: Sendable {
    let auth: Authorization
    let payload: [String: JSONValue]

    /// Every signed write is one of the embedded ledger's: refused first on a chain node.
    static func read(_ request: inout Request, node: SluiceNode, action: String) async throws -> SignedWrite {
        try node.requireEmbeddedLedger()
        let parameters = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
        let body = try parameters.decode(Body.self)
        guard let payloadText = body.payload else { throw RequestError.badRequest("payload is required", field: "payload") }
        let digest = Hex.encode(Keccak256.hash(payloadText))
        let fields = SignedFields(consumerAddress: body.address, nonce: body.nonce, signature: body.signature)
        let signed = try node.verify(fields, addressField: "address") { $0 + digest }
        guard let payload = (try? JSONValue.parse(Array(payloadText.utf8)))?.objectValue else {
            throw RequestError.badRequest("payload must be the text of a JSON object", field: "payload")
        }
        guard payload["action"]?.stringValue == action else {
            throw RequestError.badRequest("payload.action must be \"\(action)\" on this route", field: "payload.action")
        }
        return SignedWrite(auth: Authorization(signer: signed.signer, nonce: signed.nonce), payload: payload)
    }

    /// What `SignedWriteBody.make` sends.
    struct Body: Decodable {
        var address: String?
        var nonce: Nonce?
        var signature: SignedFields.Signature?
        var payload: String?
    }

    func address(_ key: String) throws(RequestError) -> EthereumAddress {
        guard let text = payload[key]?.stringValue, let address = EthereumAddress(text) else {
            throw .badRequest("payload.\(key) must be an address: 0x followed by 40 hex digits", field: "payload.\(key)")
        }
        return address
    }

    func amount(_ key: String = "amount") throws(RequestError) -> TokenAmount {
        guard let value = payload[key], let text = value.scalarText, let amount = TokenAmount(weiText: text) else {
            throw .badRequest("payload.\(key) must be a whole number of wei, as a string", field: "payload.\(key)")
        }
        return amount
    }
}
