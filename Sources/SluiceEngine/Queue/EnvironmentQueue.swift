/// The jobs of one environment: a FIFO of waiting jobs and the set running now, which
/// never grows beyond `slots` (`maxJobs`, or every admitted job where a cluster scheduler
/// queues them).
struct EnvironmentQueue: Sendable {
    let maxJobs: Int
    let slots: Int
    private(set) var waiting: [String] = []
    private var head = 0
    private(set) var running: Set<String> = []

    init(maxJobs: Int, slots: Int? = nil) {
        self.maxJobs = maxJobs
        self.slots = slots ?? maxJobs
    }

    var waitingCount: Int { waiting.count - head }

    /// Whether one more job fits: `maxJobs` may run and `maxQueued` wait beyond them.
    /// `pending` counts jobs accepted but not yet enqueued.
    func hasRoom(pending: Int, maxQueued: Int) -> Bool {
        running.count + waitingCount + pending < maxJobs + maxQueued
    }

    mutating func enqueue(_ id: String) { waiting.append(id) }

    /// The next job to start, if a slot is free; it counts as running from now on.
    mutating func startNext() -> String? {
        guard running.count < slots, head < waiting.count else { return nil }
        let id = waiting[head]
        head += 1
        // Compact now and then so the array does not grow forever.
        if head > 64 && head * 2 > waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        running.insert(id)
        return id
    }

    /// Removes a waiting job (stopped before it started). Returns whether it was waiting.
    mutating func removeWaiting(_ id: String) -> Bool {
        guard let index = waiting[head...].firstIndex(of: id) else { return false }
        waiting.remove(at: index)
        return true
    }

    mutating func finished(_ id: String) { running.remove(id) }

    /// Counts a job a previous run of the node started, and that runs on, as running.
    mutating func adopt(_ id: String) { running.insert(id) }
}
