import AsyncHTTPClient
import Foundation
import NIOCore

/// Copies a running container's output into `algorithm.log` as bubblewrap does: the
/// first `cap` bytes, a marker, the rest read and discarded. Nothing of it is kept on
/// the engine's host (its log driver is `none`), so the cap bounds the disk it takes.
final class ContainerOutput: Sendable {
    private let task: Task<Void, any Error>

    /// Starts reading `stream` (from `DockerClient.attachOutput`) at once.
    init(_ stream: HTTPClientResponse.Body, into log: CappedLog) {
        task = Task.detached {
            var demux = LogDemultiplexer { log.append($0, count: $0.count) }
            for try await chunk in stream {
                demux.feed(Array(buffer: chunk))
            }
            demux.finish()
        }
    }

    /// Waits for the stream to end (it does once the container has stopped), at most
    /// `grace`; then stops reading, so no output, however large, holds the job past its
    /// time. Returns the error that ended the stream early, if one did.
    func finish(within grace: Duration) async -> (any Error)? {
        let task = self.task
        let ended = await withTaskGroup(of: Bool.self) { group in
            group.addTask { _ = try? await task.value; return true }
            group.addTask { try? await Task.sleep(for: grace); return false }
            let first = await group.next() ?? false
            // Awaiting a task's value ignores cancellation: the reader itself must stop
            // before the group can end.
            if !first { task.cancel() }
            group.cancelAll()
            return first
        }
        guard ended else { return nil }
        do { try await task.value } catch { return error }
        return nil
    }

    /// Stops reading now (the container never ran).
    func cancel() { task.cancel() }
}
