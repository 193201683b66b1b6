public import SluiceCore
import SluiceCrypto
import SluiceEngine

/// Checks the personal-sign signature of a request (contract section 2). The nonce is
/// not consumed here: that happens in the store, atomically with the action.
public struct SignedRequest: Sendable {
    public let signer: EthereumAddress
    /// The address text as the client sent it.
    public let signerText: String
    public let nonce: Nonce

    /// Checks that `fields.signature` was made by the address (`addressField` names it in
    /// refusals) over `message(addressText) + nonce`, the nonce as sent.
    public static func verify(
        _ fields: SignedFields,
        addressField: String = "consumerAddress",
        message: (String) -> String
    ) throws(RequestError) -> SignedRequest {
        try verify(fields, addressField: addressField, wholeMessage: { address, nonce in message(address) + nonce.text })
    }

    /// The same for a signature over `wholeMessage(addressText, nonce)`: ocean-node's
    /// commands sign `address + nonce + command`, the nonce inside the message.
    public static func verify(
        _ fields: SignedFields,
        addressField: String = "consumerAddress",
        wholeMessage: (String, Nonce) -> String
    ) throws(RequestError) -> SignedRequest {
        guard let addressText = fields.consumerAddress else { throw .badRequest("\(addressField) is required", field: addressField) }
        guard let address = EthereumAddress(addressText) else {
            throw .badRequest("\(addressField) must be an Ethereum address: 0x followed by 40 hex digits", field: addressField)
        }
        guard let nonce = fields.nonce else { throw .badRequest("nonce is required", field: "nonce") }
        guard let sent = fields.signature else {
            throw .unauthorized("signature is required", field: "signature")
        }
        guard case .text(let signatureText) = sent else {
            throw .unauthorized("signature must be a hex string", field: "signature")
        }
        let signature: RecoverableSignature
        do {
            signature = try RecoverableSignature(hex: signatureText)
        } catch {
            throw .unauthorized(error.description, field: "signature")
        }
        let recovered: EthereumAddress
        do {
            recovered = try PersonalSign.recoverSigner(ofHash: PersonalSign.messageHash(wholeMessage(addressText, nonce)), signature: signature)
        } catch {
            throw .unauthorized(error.description, field: "signature")
        }
        guard recovered == address else {
            throw .unauthorized("signature was not made by \(addressField) for this request and nonce", field: "signature")
        }
        return SignedRequest(signer: address, signerText: addressText, nonce: nonce)
    }
}

extension SluiceNode {
    /// `SignedRequest.verify`, counted in the node's metrics: every request whose
    /// signature was checked, accepted or refused.
    public func verify(_ fields: SignedFields, addressField: String = "consumerAddress",
                       message: (String) -> String) throws(RequestError) -> SignedRequest {
        do {
            let signed = try SignedRequest.verify(fields, addressField: addressField, message: message)
            metrics.signatureChecked(accepted: true)
            return signed
        } catch {
            if error.field == "signature" { metrics.signatureChecked(accepted: false) }
            throw error
        }
    }

    /// Stores the request's nonce, refusing it when it is not greater than the last one.
    public func consumeNonce(of request: SignedRequest) async throws {
        do {
            try await nonces.consume(request.nonce, of: request.signer)
        } catch let error as StoreError {
            throw RequestError.unauthorized(error.description, field: "nonce")
        }
    }
}
