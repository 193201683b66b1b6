import Foundation
public import SluiceCore

/// `algorithm.log` of one job, read chunk by chunk as it grows: each `next()` answers
/// what was written since, waiting while the job runs, and nil once the job's algorithm
/// has ended and every byte was read. One chunk in memory at a time.
public actor LiveLog {
    let engine: ComputeEngine
    let jobId: String
    let root: String
    let chunkSize: Int
    let pollInterval: Duration
    private var descriptor: Int32 = -1
    private var offset: Int64 = 0
    private var ended = false

    init(engine: ComputeEngine, jobId: String, root: String, chunkSize: Int = 64 * 1024, pollInterval: Duration = .milliseconds(100)) {
        self.engine = engine
        self.jobId = jobId
        self.root = root
        self.chunkSize = chunkSize
        self.pollInterval = pollInterval
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The next bytes of the log; nil at its end (the job's algorithm ended).
    public func next() async -> [UInt8]? {
        while true {
            if let bytes = readAvailable() { return bytes }
            if ended { return nil }
            // Once the algorithm has ended nothing writes the log any more: one last read.
            if await !engine.isWritingLog(jobId) {
                ended = true
                continue
            }
            do { try await Task.sleep(for: pollInterval) } catch { return nil }
        }
    }

    /// What can be read now, nil when nothing.
    private func readAvailable() -> [UInt8]? {
        if descriptor < 0 {
            // Opened without links, and only a regular file: the algorithm writes in that directory.
            guard let fd = ComputeEngine.openWithoutLinks(root: root, relative: "logs/algorithm.log") else { return nil }
            var st = stat()
            guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
                close(fd)
                return nil
            }
            descriptor = fd
        }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        let n = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, chunkSize, off_t(offset)) }
        guard n > 0 else { return nil }
        offset += Int64(n)
        return Array(buffer.prefix(n))
    }
}

extension ComputeEngine {
    /// Follows the algorithm log of a job (queued, running or ended); nil for an unknown job.
    public func liveLog(of id: String) async throws -> LiveLog? {
        guard try await record(id: id) != nil else { return nil }
        return LiveLog(engine: self, jobId: id, root: workspace(of: id).root.path)
    }

    /// Whether the job's algorithm may still write its log: it is queued or running.
    func isWritingLog(_ id: String) -> Bool {
        guard let job = live[id] else { return false }
        return !job.record.status.isTerminal && job.record.status.rawValue < JobStatusCode.filteringResults.rawValue
    }
}
