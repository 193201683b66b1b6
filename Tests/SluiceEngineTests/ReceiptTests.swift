import Foundation
import SluiceCore
import SluiceCrypto
import SluiceStore
import Testing
@testable import SluiceEngine

/// `receipt.json` of a real job in bubblewrap, verified offline as a consumer would.
@Suite("Signed job receipts")
struct ReceiptTests {
    static let key = PrivateKey.generate()

    @Test func aRealJobsReceiptVerifiesAndOneChangedByteFailsIt() async throws {
        let input = try OutputCheckTests.dataset()
        defer { try? FileManager.default.removeItem(atPath: input) }
        let code = OutputCheckTests.readInput + """
            open(out + "model.json", "w").write(json.dumps({"rows": len(data.splitlines())}))
            os.mkdir(out + "sub")
            open(out + "sub/copy.csv", "wb").write(data)
            """
        try await EngineHarness.with(engineConfiguration: { $0.receiptKey = Self.key }) { h in
            let status = try await h.run(EngineHarness.python(code, inputs: OutputCheckTests.inputs(input)))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            let entry = try #require(status.results.last)
            #expect(entry.type == .receipt && entry.filename == "receipt.json")
            let opened = try #require(try await h.engine.openResult(jobId: status.jobId, index: entry.index))
            let bytes = Array(try opened.handle.readToEnd() ?? Data())
            #expect(Int64(bytes.count) == entry.filesize)

            let workspace = h.workspace(status.jobId)
            let receipt = try SignedReceipt.verify(bytes, node: Self.key.address, outputs: workspace.outputs)
            #expect(receipt.jobId == status.jobId)
            #expect(receipt.owner == EngineHarness.owner)
            #expect(receipt.node == Self.key.address.checksummed)
            #expect(receipt.algorithm.did == "raw")
            #expect(receipt.algorithm.sha256 == SHA256Hex.of(code), "the hash of the exact bytes that ran")
            #expect(receipt.algorithm.image == "python" && receipt.algorithm.tag == "3.11")
            let inputBytes = try Data(contentsOf: URL(fileURLWithPath: input))
            #expect(receipt.datasets.map(\.did) == [EngineHarness.datasetDID])
            #expect(receipt.datasets.first?.files.map(\.sha256) == [SHA256Hex.of(inputBytes)])
            #expect(receipt.outputs.map(\.filename) == ["model.json"], "only released outputs")
            #expect(receipt.outputChecks.first { $0.filename == "sub/copy.csv" }?.rule == "verbatimCopy")
            #expect(receipt.resources.exitCode == 0)
            #expect(receipt.resources.wallTimeSeconds.flatMap(Double.init).map { $0 >= 0 } == true)
            #expect(receipt.environment.id == "test-env" && receipt.environment.maxJobDuration == 60)
            #expect(receipt.status == 70 && receipt.terminationReason == "completed")
            #expect(receipt.dateStarted != nil)

            // Another node's address fails.
            #expect(throws: ReceiptProblem.self) { try SignedReceipt.verify(bytes, node: PrivateKey.generate().address) }
            // One changed byte of the receipt fails, wherever it is.
            for position in [0, bytes.count / 3, bytes.count / 2, bytes.count - 2] {
                var changed = bytes
                changed[position] = changed[position] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
                #expect(throws: ReceiptProblem.self, "byte \(position)") { try SignedReceipt.verify(changed, node: Self.key.address) }
            }
            // One changed byte of an output fails.
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-receipt-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: copy) }
            var model = Array(try Data(contentsOf: workspace.outputs.appendingPathComponent("model.json")))
            try Data(model).write(to: copy.appendingPathComponent("model.json"))
            #expect(throws: Never.self) { try SignedReceipt.verify(bytes, node: Self.key.address, outputs: copy) }
            model[model.count - 2] ^= 0x01
            try Data(model).write(to: copy.appendingPathComponent("model.json"))
            #expect(throws: ReceiptProblem.outputMismatch("model.json")) {
                try SignedReceipt.verify(bytes, node: Self.key.address, outputs: copy)
            }
            try FileManager.default.removeItem(at: copy.appendingPathComponent("model.json"))
            #expect(throws: ReceiptProblem.missingOutput("model.json")) {
                try SignedReceipt.verify(bytes, node: Self.key.address, outputs: copy)
            }
        }
    }

    @Test func withoutAKeyNoReceiptIsWritten() async throws {
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.shell("echo hi > /data/outputs/a.txt"))
            #expect(status.status == 70)
            #expect(!status.results.contains { $0.type == .receipt })
        }
    }
}
