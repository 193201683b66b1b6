import Hummingbird
import SluiceCore

/// The optional `chainId` query parameter of the environments and encrypt routes:
/// decimal digits, or absent (an empty value counts as absent, as Ocean's clients may
/// send it so).
enum ChainIdParameter {
    static func read(_ request: Request) throws(RequestError) -> Int? {
        guard let text = request.uri.queryParameters["chainId"], !text.isEmpty else { return nil }
        guard text.utf8.allSatisfy({ (48...57).contains($0) }), let chainId = Int(text) else {
            throw .badRequest("chainId must be a whole number", field: "chainId")
        }
        return chainId
    }
}
