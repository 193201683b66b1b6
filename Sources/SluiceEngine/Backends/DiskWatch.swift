import Foundation

/// The disk quota of a job covers its outputs and logs together, measured on the host
/// (every backend bind-mounts these directories from the workspace).
enum DiskWatch {
    static func usage(of workspace: Workspace) -> Int64 {
        ResultsListing.usage(of: workspace.outputs.path) + ResultsListing.usage(of: workspace.logs.path)
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
