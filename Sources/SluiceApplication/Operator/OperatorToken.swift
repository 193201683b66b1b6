import Crypto
import Foundation

/// The operator's token, read once from `operatorTokenFile` (its first line). Tokens are
/// compared in constant time, on digests so that lengths never show either; the login
/// form's cookie holds a value derived from the token, never the token itself.
public struct OperatorToken: Sendable {
    private let digest: [UInt8]
    /// The cookie value a successful login sets.
    public let sessionValue: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init?(token: String) {
        let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        digest = Array(SHA256.hash(data: Array(trimmed.utf8)))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("sluice operator session v1".utf8), using: SymmetricKey(data: Array(trimmed.utf8)))
        sessionValue = Array(mac).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads the token file; its first line is the token. A missing, unreadable or empty
    /// file stops the node (an operator who set the key expects a dashboard).
    public static func load(path: String) throws(Failure) -> OperatorToken {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "cannot read operatorTokenFile \(path)")
        }
        let firstLine = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard let token = OperatorToken(token: firstLine) else {
            throw Failure(description: "operatorTokenFile \(path) holds no token (its first line is empty)")
        }
        return token
    }

    /// Whether `presented` (a bearer token or a login form's field) is the token.
    public func admits(token presented: String) -> Bool {
        Self.constantTimeEqual(Array(SHA256.hash(data: Array(presented.utf8))), digest)
    }

    /// Whether `presented` is the cookie value a login set.
    public func admits(session presented: String) -> Bool {
        Self.constantTimeEqual(Array(SHA256.hash(data: Array(presented.utf8))), Array(SHA256.hash(data: Array(sessionValue.utf8))))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}

/// Who may see the operator's pages and `/metrics`: the one rule, applied to what a
/// request presented (its bearer token, its session cookie).
public struct OperatorAccess: Sendable {
    public let token: OperatorToken?
    public let metricsPublic: Bool

    public init(token: OperatorToken?, metricsPublic: Bool) {
        self.token = token
        self.metricsPublic = metricsPublic
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// No token is configured: the dashboard does not exist.
        case disabled
        case refused
    }

    public func dashboard(bearer: String?, session: String?) -> Decision {
        guard let token else { return .disabled }
        if let bearer, token.admits(token: bearer) { return .allowed }
        if let session, token.admits(session: session) { return .allowed }
        return .refused
    }

    /// `/metrics` is open without a token configured or with `metricsPublic`; else as the dashboard.
    public func metrics(bearer: String?, session: String?) -> Decision {
        guard token != nil, !metricsPublic else { return .allowed }
        return dashboard(bearer: bearer, session: session)
    }
}
