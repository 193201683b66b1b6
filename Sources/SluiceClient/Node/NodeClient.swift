import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
public import SluiceCore
import SluiceCrypto

/// The SDK's entry point: one node, every operation of the compute flow as an async call.
/// Operations that act for a user take the user's `Wallet` and sign for it.
public struct NodeClient: Sendable {
    let http: NodeHTTP
    let nonces = NonceBook()
    /// Where publishing, tokens and orders go: the node's embedded ledger or a chain.
    public let ledger: any AssetLedger

    /// - Parameters:
    ///   - nodeURL: `http://host:port` of a Sluice node.
    ///   - ledger: `NodeLedger()` for a node on its embedded ledger; a `ChainLedger` for a
    ///     node started with `--chain`.
    ///   - timeout: per request, connection included.
    public init(nodeURL: String, ledger: any AssetLedger = NodeLedger(), timeout: Duration = .seconds(30),
                httpClient: HTTPClient = .sluiceDefault) throws(ClientError) {
        let seconds = Int64(timeout.components.seconds)
        http = NodeHTTP(baseURL: try NodeHTTP.normalize(nodeURL), client: httpClient, timeout: .seconds(max(1, seconds)))
        self.ledger = ledger
    }

    public var nodeURL: String { http.baseURL }

    /// `GET /`: what the node is and which provider address signs its fees.
    public func info() async throws(ClientError) -> NodeInfo {
        let info = try await http.json(NodeInfo.self, .GET, "/")
        guard !info.providerAddresses.isEmpty else {
            throw .unexpectedAnswer(node: http.baseURL, detail: "GET / names no provider address")
        }
        return info
    }

    /// `GET /api/sluice/health`: which replica answered, its database, and whether it
    /// follows the chain now.
    public func health() async throws(ClientError) -> NodeHealth {
        try await http.json(NodeHealth.self, .GET, Paths.sluiceHealth)
    }

    /// The next nonce for `wallet`: above both the node's last accepted one and the last
    /// one this client used, so concurrent requests of one client never collide.
    func nextNonce(for wallet: Wallet) async throws(ClientError) -> Nonce {
        let answer = try await http.json(JSONValue.self, .GET, Paths.nonce, query: [("userAddress", wallet.checksummed)])
        let current = answer["nonce"]?.int64Value ?? answer["nonce"]?.stringValue.flatMap { Int64($0) } ?? 0
        return await nonces.next(for: wallet.address, after: UInt64(max(0, current)))
    }

    /// A signed write under `/api/sluice/` (see `SignedWriteBody`).
    func signedWrite(_ method: HTTPMethod, _ path: String, action: String, payload: [String: JSONValue],
                     by wallet: Wallet) async throws(ClientError) -> [UInt8] {
        let nonce = try await nextNonce(for: wallet)
        let body = SignedWriteBody.make(action: action, payload: payload, key: wallet.key, nonce: nonce)
        return try await http.send(method, path, body: body.compactJSON())
    }

    /// A request body: the shared wire model as JSON text.
    func encodeJSON(_ value: some Encodable) throws(ClientError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        } catch {
            throw .invalidInput("The request could not be written as JSON.")
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], what: String) throws(ClientError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw .unexpectedAnswer(node: http.baseURL, detail: "its \(what) could not be read")
        }
    }
}

/// The last nonce used per address by this client.
actor NonceBook {
    private var last: [EthereumAddress: UInt64] = [:]

    func next(for address: EthereumAddress, after nodeNonce: UInt64) -> Nonce {
        let value = max(nodeNonce, last[address] ?? 0) + 1
        last[address] = value
        return Nonce(value)
    }
}

extension HTTPClient {
    /// The client `NodeClient` uses by default, for the life of the process (as
    /// `HTTPClient.shared`), but without retrying refused connections until the deadline,
    /// so that a node that is down is reported at once.
    public static let sluiceDefault: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}
