public import SluiceCore

/// The body of a signed write to Sluice's own API (`/api/sluice/...`): the payload is
/// sent as JSON text naming its `action`, and the signature is personal-sign over
/// `address + keccak256hex(payload) + nonce`, so it covers the payload's exact bytes.
public enum SignedWriteBody {
    public static func make(action: String, payload: [String: JSONValue], key: PrivateKey, nonce: Nonce) -> JSONValue {
        var payload = payload
        payload["action"] = .string(action)
        let text = JSONValue.object(payload).compactJSON()
        let address = key.address.checksummed
        let signature = PersonalSign.sign(message: address + Hex.encode(Keccak256.hash(text)), nonce: nonce, key: key)
        return .object([
            "address": .string(address), "nonce": .integer(Int64(nonce.value)),
            "signature": .string(signature.hex), "payload": .string(text),
        ])
    }
}
