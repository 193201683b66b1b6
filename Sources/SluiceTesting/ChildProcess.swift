import Foundation

/// Subprocesses for tests, awaited without holding a thread of Swift's cooperative pool.
/// That pool has one thread per core (two on the CI machine): a test blocked in
/// `waitUntilExit()` or a pipe read stalls every other test of the process, and their
/// timeouts (a store's 20 s to migrate) then fire for no fault of theirs.
public enum ChildProcess {
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` to its exit. Output goes through files, not pipes, so neither
    /// stream can fill up and block the child. `combined` sends stderr into stdout, in the
    /// order it was written.
    public static func run(_ executable: URL, _ arguments: [String],
                           environment: [String: String]? = nil, combined: Bool = false) async throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let directory = FileManager.default.temporaryDirectory
        let outFile = directory.appendingPathComponent("child-out-\(UUID().uuidString)")
        let errFile = directory.appendingPathComponent("child-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        let out = try FileHandle(forWritingTo: outFile)
        let err = try FileHandle(forWritingTo: errFile)
        defer {
            try? out.close()
            try? err.close()
        }
        process.standardOutput = out
        process.standardError = combined ? out : err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        await exit(of: process)
        return Outcome(status: process.terminationStatus,
                       stdout: (try? String(contentsOf: outFile, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
    }

    /// Waits for `process` (already running) to exit, on a thread of its own.
    public static func exit(of process: Process) async {
        let box = ProcessBox(process)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                box.process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    /// `body`'s result, computed on a thread of its own (a blocking read, for one).
    public static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}

/// `Process` is not Sendable; the waiting thread only waits on it.
private final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
