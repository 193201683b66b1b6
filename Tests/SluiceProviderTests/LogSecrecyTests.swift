import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SluiceCore
import SluiceCrypto
import SluiceStore
import Testing
@testable import SluiceProvider

/// A log handler that keeps every line, to check what the node writes.
final class CapturedLog: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let all = self.metadata.merging(metadata ?? [:]) { $1 }
        lock.withLock { lines.append("\(level) \(message) \(all)") }
    }

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}

@Suite("What the node logs")
struct LogSecrecyTests {
    @Test func accessLogsCarryNoSignaturesURLsOrKeys() async throws {
        let captured = CapturedLog()
        let t = try await TestNode(logHandler: captured)
        let key = t.key
        let alice = Wallet()
        let signature = "0x" + String(repeating: "5a", count: 65)
        try await t.test { client in
            _ = try await client.get("/api/services/nonce?userAddress=\(alice.checksummed)&signature=\(signature)")
            let files = try await client.post("/api/services/encrypt", ByteBuffer(string: #"[{"type":"url","url":"https://secret.example.org/data.csv"}]"#)).text
            let published = try await client.post("/api/sluice/assets", alice.write("publish", AssetFlowTests.datasetDraft(files: files)))
            #expect(published.status == .created)
            _ = try await client.get("/api/unknown?signature=\(signature)")
        }
        let log = captured.text
        #expect(log.contains("GET /api/services/nonce 200"), "requests are logged: \(log)")
        #expect(log.contains("POST /api/sluice/assets 201"))
        #expect(!log.contains("5a5a5a5a"), "signatures stay out of the log")
        #expect(!log.contains("secret.example.org"), "dataset URLs stay out of the log")
        #expect(!log.contains(Hex.encode(key.secretBytes)), "the node key stays out of the log")
    }
}
