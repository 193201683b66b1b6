import Foundation

/// The first reason the node killed a job (stop, timeout, disk); later ones are ignored.
final class Ending: @unchecked Sendable {
    private let lock = NSLock()
    private var first: SandboxOutcome?
    private let process: SandboxProcess
    private let group: (any ResourceGroup)?

    init(process: SandboxProcess, group: (any ResourceGroup)?) {
        self.process = process
        self.group = group
    }

    var reason: SandboxOutcome? { lock.withLock { first } }

    func kill(because reason: SandboxOutcome) {
        let isFirst = lock.withLock { () -> Bool in
            if first != nil { return false }
            first = reason
            return true
        }
        guard isFirst else { return }
        process.kill()
        // Emptying the cgroup may take a few rounds against a fork bomb: never on the
        // caller's thread, which may be the engine's (a stop cancels from there).
        if let group { DispatchQueue.global().async { group.killAll() } }
    }
}
