import Foundation
import SluiceTesting
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `sluice serve` process on a free loopback port, for tests of the real executable.
final class NodeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let stderrPipe = Pipe()
    private let lock = NSLock()
    private var stderrText = ""

    /// The `sluice` executable built beside the test bundle.
    static var executable: URL {
        productsDirectory.appendingPathComponent("sluice")
    }

    static var productsDirectory: URL {
        let bundle = Bundle.main.bundleURL
        return bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
    }

    init(arguments: [String], timeout: TimeInterval = 30) async throws {
        process.executableURL = Self.executable
        process.arguments = ["serve", "--port", "0"] + arguments
        process.standardError = stderrPipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let handle = stderrPipe.fileHandleForReading
        // The read blocks until the node writes: on a thread of its own, not the test's.
        let (found, text) = try await ChildProcess.offPool { () -> (Int?, String) in
            let deadline = Date().addingTimeInterval(timeout)
            var found: Int?
            var text = ""
            while found == nil && Date() < deadline {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
                found = Self.port(in: text)
            }
            return (found, text)
        }
        guard let found else {
            process.terminate()
            throw NodeProcessError.didNotStart(text)
        }
        port = found
        stderrText = text
        // Keep draining stderr so the node never blocks on a full pipe.
        handle.readabilityHandler = { [weak self] h in
            let data = h.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.stderrText += String(decoding: data, as: UTF8.self) }
        }
    }

    var log: String { lock.withLock { stderrText } }

    private static func port(in text: String) -> Int? {
        guard let range = text.range(of: "listening on http://127.0.0.1:") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    func get(_ path: String) async throws -> (status: Int, body: Data) {
        let url = URL(string: "http://127.0.0.1:\(port)\(path)")!
        let (data, response) = try await URLSession.shared.data(from: url)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// A crash: SIGKILL, nothing of the node runs after it. Waits until it is gone.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        stderrPipe.fileHandleForReading.readabilityHandler = nil
    }

    /// Sends SIGTERM and waits for the exit status.
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        stderrPipe.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

enum NodeProcessError: Error {
    case didNotStart(String)
}

/// Runs the `sluice` executable to completion, returning its exit status and output.
func runSluice(_ arguments: [String]) async throws -> (status: Int32, output: String) {
    let outcome = try await ChildProcess.run(NodeProcess.executable, arguments, combined: true)
    return (outcome.status, outcome.stdout)
}
