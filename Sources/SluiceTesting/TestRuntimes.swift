import Foundation

/// Algorithm runtimes for tests: directories an environment maps container images to.
/// Python is a venv made from Debian's `/usr/bin/python3` (pyenv's would link outside the
/// sandbox); shell needs nothing beyond `/usr`, which the sandbox always has.
public enum TestRuntimes {
    private static let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-test-runtimes")
    private static let lock = NSLock()

    public enum Failure: Error { case venvFailed }

    /// `python:3.11` → a venv without pip.
    public static func python() throws -> String {
        try lock.withLock {
            let dir = root.appendingPathComponent("python-3.11")
            if FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("bin/python3").path) { return dir.path }
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-m", "venv", "--without-pip", dir.path]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw Failure.venvFailed }
            return dir.path
        }
    }

    /// `shell:1` → an empty directory.
    public static func shell() throws -> String {
        let dir = root.appendingPathComponent("shell")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    /// The runtimes of a test environment.
    public static func all() throws -> [String: String] {
        ["python:3.11": try python(), "shell:1": try shell()]
    }
}
