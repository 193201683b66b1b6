import Foundation

/// A spawned sandbox launcher: two threads per job, one draining its output into
/// `algorithm.log`, one blocked in waitid until it exits, so the exit is noticed at
/// once without polling. Signals are only sent while the pid is known not to be reaped.
final class SandboxProcess: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    // Guarded by `lock`.
    private var reaped = false
    private var exited = false

    init(pid: pid_t) { self.pid = pid }

    /// SIGKILLs the launcher (and, through --die-with-parent and the pid namespace,
    /// the sandbox). The caller also empties the job's cgroup.
    func kill() {
        lock.withLock {
            if !reaped {
                _ = Glibc.kill(-pid, SIGKILL)
                _ = Glibc.kill(pid, SIGKILL)
            }
        }
    }

    private var hasExited: Bool { lock.withLock { exited } }

    /// Drains `outputFD` into `log` and waits for the exit; returns the wait status.
    func waitForExit(outputFD: Int32, log: CappedLog) async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let drained = DispatchSemaphore(value: 0)
            Thread.detachNewThread { [self] in
                self.drain(outputFD, into: log)
                drained.signal()
            }
            Thread.detachNewThread { [self] in
                var info = siginfo_t()
                while waitid(P_PID, id_t(self.pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
                self.lock.withLock { self.exited = true }
                drained.wait()
                var status: Int32 = 0
                self.lock.withLock {
                    while waitpid(self.pid, &status, 0) < 0 && errno == EINTR {}
                    self.reaped = true
                }
                continuation.resume(returning: status)
            }
        }
    }

    private func drain(_ fd: Int32, into log: CappedLog) {
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            // Once the launcher is gone, stop at the first quiet moment even if some
            // stray process still holds the pipe open.
            let ready = poll(&pfd, 1, hasExited ? 20 : 100)
            if ready == 0 {
                if hasExited { return }
                continue
            }
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                log.append(buffer, count: n)
            } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                return
            }
        }
    }
}
