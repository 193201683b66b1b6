import Foundation
import SluiceClient
import SluiceCore

/// Live progress of a job on stderr: on a terminal one line redrawn with a spinner, the
/// status and the elapsed time; otherwise one timestamped line per status change.
actor JobProgress {
    let jobId: String
    let terminal: Bool
    private let started = ContinuousClock.now
    private var text = "Waiting for the node"
    private var frame = 0
    private static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    init(jobId: String, terminal: Bool = CLI.stderrIsTerminal) {
        self.jobId = jobId
        self.terminal = terminal
    }

    func update(_ job: JobStatus) {
        text = Self.describe(job)
        if !terminal {
            let stamp = ISO8601DateFormatter().string(from: Date())
            CLI.note("\(stamp) job \(jobId): \(text) (status \(job.status), \(elapsed))")
        }
    }

    /// The status text, and where a cluster scheduler holds the job while it waits or runs
    /// there ("Warming up, Slurm job 12 waits: Resources, 3rd in the queue").
    static func describe(_ job: JobStatus) -> String {
        guard let scheduled = job.scheduler, JobStatusCode(rawValue: job.status)?.isTerminal != true else {
            return job.statusText
        }
        let name = scheduled.scheduler.prefix(1).uppercased() + scheduled.scheduler.dropFirst()
        guard job.status == JobStatusCode.warmingUp.rawValue else { return "\(job.statusText) as \(name) job \(scheduled.id)" }
        let place = scheduled.queuePosition.map { ", place \($0) in the queue" } ?? ""
        return "\(job.statusText), \(name) job \(scheduled.id) waits: \(scheduled.reason ?? scheduled.state)\(place)"
    }

    func tick() {
        guard terminal else { return }
        frame = (frame + 1) % Self.frames.count
        write("\r\u{1B}[2K\(Self.frames[frame]) \(text)  \(elapsed)  job \(jobId)")
    }

    func finish(_ job: JobStatus) {
        guard terminal else { return }
        write("\r\u{1B}[2K\(job.succeeded ? "✔" : "✖") \(job.statusText)  \(elapsed)  job \(jobId)\n")
    }

    func clear() {
        if terminal { write("\r\u{1B}[2K") }
    }

    private var elapsed: String {
        let seconds = Int((ContinuousClock.now - started).components.seconds)
        return String(format: "%02d:%02d", seconds / 60, seconds % 60)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Waits for the job with this display running; returns the final status.
    static func wait(for jobId: String, client: NodeClient, wallet: Wallet, timeout: Duration?) async throws -> JobStatus {
        let progress = JobProgress(jobId: jobId)
        do {
            let job = try await withThrowingTaskGroup(of: JobStatus?.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        await progress.tick()
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                    return nil
                }
                group.addTask {
                    try await client.wait(jobId: jobId, by: wallet, timeout: timeout) { await progress.update($0) }
                }
                var final: JobStatus?
                while let result = try await group.next() {
                    if let result { final = result; group.cancelAll() }
                }
                guard let final else { throw CancellationError() }
                return final
            }
            await progress.finish(job)
            return job
        } catch {
            await progress.clear()
            throw error
        }
    }
}
