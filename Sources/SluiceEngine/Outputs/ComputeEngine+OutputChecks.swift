import SluiceCore

/// A job's results once the output checks ran: the ending (now `outputWithheld` if they
/// withheld everything a completed job wrote), the released results and the decisions.
struct CheckedResults: Sendable {
    var ending: JobEnding
    var results: [JobResultFile]
    var checks: OutputChecks
    /// The released outputs' digests, for the receipt.
    var outputDigests: [JobReceipt.File]
}

extension ComputeEngine {
    /// Checks a job's outputs under its policy and publishes what they release. Every
    /// path that ends a job with a workspace comes through here: finished, failed,
    /// stopped, or interrupted by a restart or shutdown.
    nonisolated func checkAndPublish(_ workspace: Workspace, specification: JobSpecification?,
                                     ending: JobEnding) async -> CheckedResults {
        let policy = OutputGate.policy(for: specification, defaults: configuration.outputPolicy)
        let checks = await OutputGate.checkAway(workspace, policy: policy)
        var ending = ending
        if ending.reason == .completed, !checks.decisions.isEmpty, checks.released.isEmpty {
            ending.reason = .outputWithheld
            ending.error = "the output checks withheld every output the algorithm wrote; outputChecks in the job's status says why for each"
        }
        let results = Publisher.publish(workspace, ending: ending, checks: checks)
        let digests = configuration.receiptKey == nil ? [] : await OutputGate.digestsAway(workspace, of: results)
        return CheckedResults(ending: ending, results: results, checks: checks, outputDigests: digests)
    }
}
