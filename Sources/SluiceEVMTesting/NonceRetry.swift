extension Harness {
    /// The tests of a run send from the same accounts at once (and the harness's own
    /// helpers send from them too), so the nonce a transaction was prepared with may be
    /// taken before it arrives: the chain's refusal is retried with a fresh one.
    public func retryingNonce<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch where attempt < 10 && "\(error)".lowercased().contains("nonce") {
                attempt += 1
                try await Task.sleep(for: .milliseconds(20 * attempt))
            }
        }
    }
}
