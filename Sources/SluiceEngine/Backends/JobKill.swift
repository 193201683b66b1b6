import Foundation

/// The first reason the node killed a job (stop, timeout, disk) and the one kill it
/// causes; later reasons are ignored. Thread-safe: timers, the disk watch and a stop
/// race to it from different tasks.
final class JobKill: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var first: SandboxOutcome?
    private let action: @Sendable () -> Void

    /// `action` kills the job's processes; it must not block the caller (a stop calls it
    /// from the engine's own task).
    init(_ action: @escaping @Sendable () -> Void) { self.action = action }

    var reason: SandboxOutcome? { lock.withLock { first } }

    func kill(because reason: SandboxOutcome) {
        let isFirst = lock.withLock { () -> Bool in
            if first != nil { return false }
            first = reason
            return true
        }
        if isFirst { action() }
    }

    /// Kills the job when it passes its wall time or its disk quota; cancel the task when
    /// the job ends. `alreadyRan` seconds of its wall time were spent before this watch
    /// (a job followed again after a restart).
    func watchLimits(_ limits: JobLimits, workspace: Workspace, diskCheckInterval: Duration,
                     alreadyRan: Double = 0) -> Task<Void, Never> {
        Task {
            await withTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    try? await Task.sleep(for: .seconds(max(Double(limits.wallTimeSeconds) - alreadyRan, 0)))
                    if !Task.isCancelled { self.kill(because: .exceeded(.wallTime)) }
                }
                tasks.addTask {
                    await DiskWatch.watch(workspace, limit: limits.diskBytes, every: diskCheckInterval) {
                        self.kill(because: .exceeded(.disk))
                    }
                }
            }
        }
    }
}
