import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceCore
import SluiceCrypto

/// A test user: a key that signs requests the way Sluice's clients do.
final class Wallet: @unchecked Sendable {
    let key: PrivateKey
    private let lock = NSLock()
    private var lastNonce: UInt64 = 0

    init(_ key: PrivateKey = .generate()) { self.key = key }

    var address: EthereumAddress { key.address }
    var checksummed: String { key.address.checksummed }

    func nextNonce() -> Nonce {
        lock.withLock {
            lastNonce += 1
            return Nonce(lastNonce)
        }
    }

    /// The body of a signed write to `/api/sluice/...`.
    func write(_ action: String, _ payload: [String: JSONValue], nonce: Nonce? = nil) -> ByteBuffer {
        let body = SignedWriteBody.make(action: action, payload: payload, key: key, nonce: nonce ?? nextNonce())
        return ByteBuffer(string: body.compactJSON())
    }
}

extension TestClientProtocol {
    func post(_ uri: String, _ body: ByteBuffer) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: body)
    }

    func put(_ uri: String, _ body: ByteBuffer) async throws -> TestResponse {
        try await execute(uri: uri, method: .put, headers: [.contentType: "application/json"], body: body)
    }

    func get(_ uri: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get)
    }

    func postJSON(_ uri: String, _ json: JSONValue) async throws -> TestResponse {
        try await post(uri, ByteBuffer(string: json.compactJSON()))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// A clock tests can move forward.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset = 0
    func now() -> Int { lock.withLock { Int(Date().timeIntervalSince1970) + offset } }
    func advance(_ seconds: Int) { lock.withLock { offset += seconds } }
}
