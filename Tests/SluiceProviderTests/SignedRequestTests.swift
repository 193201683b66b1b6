import SluiceApplication
import SluiceCore
import SluiceCrypto
@testable import SluiceProvider
import Testing

@Suite("Signed requests")
struct SignedRequestTests {
    let key = PrivateKey(hex: "0x0101010101010101010101010101010101010101010101010101010101010101")!
    let did = "did:op:cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"

    func parameters(address: String, nonce: JSONValue, signature: JSONValue?) -> RequestParameters {
        var values: [String: JSONValue] = ["consumerAddress": .string(address), "nonce": nonce]
        if let signature { values["signature"] = signature }
        return RequestParameters(values: values)
    }

    /// The request's fields as a route decodes them, then verified.
    func verify(_ p: RequestParameters, message: (String) -> String) throws(RequestError) -> SignedRequest {
        try SignedRequest.verify(try p.decode(SignedFields.self), message: message)
    }

    @Test func acceptsTheSharedVectorWithIntegerOrStringNonce() throws {
        let address = "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1"
        let sig = "0xebb9f8c4c1f16dfdb33c499142982fbc2d936dfb0495cf4f02ee4e0fc531358b038d5fa6adc224026f323513ae66dfdf79a8f7a1c1f442fe4f5765df459d23b71c"
        for nonce in [JSONValue.integer(1), .string("1")] {
            let signed = try verify(parameters(address: address, nonce: nonce, signature: .string(sig))) { $0 + did }
            #expect(signed.signer == key.address)
            #expect(signed.nonce.value == 1)
        }
    }

    @Test func theAddressTextIsHashedAsSent() throws {
        // Signed over the lowercase text: verifies with the lowercase text, not the checksummed one.
        let lower = key.address.lowercased
        let sig = PersonalSign.sign(message: lower + did, nonce: Nonce(9), key: key).hex
        _ = try verify(parameters(address: lower, nonce: .integer(9), signature: .string(sig))) { $0 + did }
        #expect(throws: RequestError.self) {
            try verify(parameters(address: key.address.checksummed, nonce: .integer(9), signature: .string(sig))) { $0 + did }
        }
    }

    @Test func refusals() throws {
        let address = key.address.checksummed
        let good = PersonalSign.sign(message: address + did, nonce: Nonce(3), key: key).hex
        let other = PersonalSign.sign(message: address + did, nonce: Nonce(3), key: PrivateKey.generate()).hex
        let cases: [(JSONValue, JSONValue?, RequestError.Kind, String)] = [
            (.integer(3), .string(other), .unauthorized, "signature"),
            (.integer(4), .string(good), .unauthorized, "signature"),
            (.integer(3), nil, .unauthorized, "signature"),
            (.integer(3), .string("0xnothex"), .unauthorized, "signature"),
            (.integer(3), .string(String(good.dropLast(2))), .unauthorized, "signature"),
            (.integer(3), .integer(5), .unauthorized, "signature"),
            (.string("three"), .string(good), .badRequest, "nonce"),
            (.number(3.5), .string(good), .badRequest, "nonce"),
            (.integer(-3), .string(good), .badRequest, "nonce"),
        ]
        for (nonce, signature, kind, field) in cases {
            do {
                _ = try verify(parameters(address: address, nonce: nonce, signature: signature)) { $0 + did }
                Issue.record("accepted nonce \(nonce) signature \(String(describing: signature))")
            } catch {
                #expect(error.kind == kind)
                #expect(error.field == field)
            }
        }
        #expect(throws: RequestError.self) {
            try verify(parameters(address: "0x1234", nonce: .integer(3), signature: .string(good))) { $0 + did }
        }
    }

    @Test func noncesAreConsumedOnceThroughTheNode() async throws {
        let t = try await TestNode()
        let address = key.address.checksummed
        let sig = PersonalSign.sign(message: address + did, nonce: Nonce(3), key: key).hex
        let signed = try verify(parameters(address: address, nonce: .integer(3), signature: .string(sig))) { $0 + did }
        try await t.node.consumeNonce(of: signed)
        do {
            try await t.node.consumeNonce(of: signed)
            Issue.record("a replayed nonce was accepted")
        } catch let error as RequestError {
            #expect(error.kind == .unauthorized)
            #expect(error.field == "nonce")
        }
    }
}
