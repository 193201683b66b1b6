/// One listing of a cluster's queue shared by every job the node follows there: however
/// many jobs wait, Slurm scans its queue for them at most once per `maxAge`, and callers
/// arriving while a listing is under way wait for that one.
actor SlurmQueueListing {
    private var last: (at: ContinuousClock.Instant, jobs: [SlurmJobInfo])?
    private var inFlight: Task<[SlurmJobInfo], any Error>?

    func jobs(maxAge: Duration, list: @escaping @Sendable () async throws -> [SlurmJobInfo]) async throws -> [SlurmJobInfo] {
        if let last, ContinuousClock.now - last.at < maxAge { return last.jobs }
        if let inFlight { return try await inFlight.value }
        let listing = Task { try await list() }
        inFlight = listing
        defer { inFlight = nil }
        let jobs = try await listing.value
        last = (.now, jobs)
        return jobs
    }
}
