import Foundation

/// The disk quota of a job covers its outputs and logs together, measured on the host
/// (every backend bind-mounts these directories from the workspace).
enum DiskWatch {
    static func usage(of workspace: Workspace) -> Int64 {
        ResultsListing.usage(of: workspace.outputs.path) + ResultsListing.usage(of: workspace.logs.path)
    }

    /// A run that ended on its own ended at the disk quota when its outputs and logs are
    /// past `limit`, or a write went past the file-size rlimit (SIGXFSZ; bwrap reports a
    /// child killed by signal N as exit 128+N). The watcher may not have looked since the
    /// last write: a program that ignores SIGXFSZ (Python) fails the write and exits.
    static func judged(_ outcome: SandboxOutcome, workspace: Workspace, limit: Int64) -> SandboxOutcome {
        let fileTooLarge: Bool
        switch outcome {
        case .signaled(let signal): fileTooLarge = signal == SIGXFSZ
        case .exited(let code): fileTooLarge = code == 128 + SIGXFSZ
        default: return outcome
        }
        return fileTooLarge || usage(of: workspace) > limit ? .exceeded(.disk) : outcome
    }

    /// Measures every `interval` until cancelled; calls `exceeded` once, when usage
    /// passes `limit`.
    static func watch(_ workspace: Workspace, limit: Int64, every interval: Duration,
                      exceeded: @Sendable () -> Void) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            if usage(of: workspace) > limit {
                exceeded()
                return
            }
        }
    }
}
