import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SluiceCore
import SluiceCrypto
import SluiceStore
@testable import SluiceProvider

/// A node on an in-memory store, for router tests.
struct TestNode {
    let node: SluiceNode
    let store: SQLiteStore
    let key: PrivateKey

    let clock = TestClock()

    init(
        config: NodeConfig = NodeConfig(),
        currentJobs: @escaping @Sendable (String) async -> Int = { _ in 0 }
    ) throws {
        key = PrivateKey.generate()
        store = try SQLiteStore.inMemory()
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let clock = self.clock
        node = SluiceNode(config: config, providerKey: key, store: store, currentJobs: currentJobs, logger: logger,
                          now: { clock.now() })
    }

    func test<Value: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = Application(router: try ProviderApplication.buildRouter(node: node))
        return try await app.test(.router, body)
    }
}

extension TestResponse {
    var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)) }
}
