import Foundation
import Hummingbird
import SluiceApplication

/// What a request presents for the operator's pages: `Authorization: Bearer <token>`, or
/// the cookie the login form set. `OperatorAccess` decides; this only reads.
struct OperatorCredentials {
    static let cookieName = "sluice_operator"

    let bearer: String?
    let session: String?

    init(_ request: Request) {
        var bearer: String?
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            bearer = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        self.bearer = bearer
        var session: String?
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == Self.cookieName {
                    session = String(parts[1]).trimmingCharacters(in: .whitespaces)
                }
            }
        }
        self.session = session
    }
}
