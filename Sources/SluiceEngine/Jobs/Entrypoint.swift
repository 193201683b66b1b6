import Foundation

/// The container entrypoint as a command: words split on whitespace (no shell, so no
/// quoting), `$ALGO` / `${ALGO}` replaced by the algorithm's path in the sandbox.
enum Entrypoint {
    static let algorithmPath = "/data/transformations/algorithm"

    static func command(_ entrypoint: String) -> [String] {
        entrypoint.split(whereSeparator: \.isWhitespace).map {
            $0.replacingOccurrences(of: "${ALGO}", with: algorithmPath)
                .replacingOccurrences(of: "$ALGO", with: algorithmPath)
        }
    }

    /// Whether the program the command starts exists in the sandbox as bwrap will build
    /// it (`PATH=/opt/runtime/bin:/usr/bin:/bin`), checked on the host before the run so
    /// that a missing entrypoint is a provisioning failure with a clear error.
    static func programExists(_ program: String, runtimeDirectory: String) -> Bool {
        let fm = FileManager.default
        if program.hasPrefix("/") {
            if program == algorithmPath { return true }
            for (prefix, host) in [("/opt/runtime/", runtimeDirectory + "/"), ("/usr/", "/usr/"), ("/bin/", "/usr/bin/")]
            where program.hasPrefix(prefix) {
                let path = host + program.dropFirst(prefix.count)
                return !program.contains("/../") && fm.isExecutableFile(atPath: path)
            }
            return false
        }
        guard !program.contains("/") else { return false }
        return [runtimeDirectory + "/bin", "/usr/bin"].contains { fm.isExecutableFile(atPath: "\($0)/\(program)") }
    }
}
