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
    /// path that ends a job with a workspace and no owner's review comes through here:
    /// finished, failed, stopped, or interrupted by a restart or shutdown. Where the policy
    /// requires the owner's review, such a job's outputs are withheld: nobody released them.
    nonisolated func checkAndPublish(_ workspace: Workspace, specification: JobSpecification?,
                                     ending: JobEnding) async -> CheckedResults {
        var checks = await checkOutputs(workspace, specification: specification)
        if checks.policy.reviewDeadlineSeconds != nil {
            checks = checks.withholdingReleased(.ownerReview, reason: Self.unreviewedReason)
        }
        return await publish(workspace, ending: ending, checks: checks)
    }

    static let unreviewedReason =
        "withheld: the dataset's owner releases the results of jobs on it, and this job ended before they could review them"

    /// The output checks of status 50 under the job's policy.
    nonisolated func checkOutputs(_ workspace: Workspace, specification: JobSpecification?) async -> OutputChecks {
        let policy = OutputGate.policy(for: specification, defaults: configuration.outputPolicy)
        return await OutputGate.checkAway(workspace, policy: policy)
    }

    /// Publishes what `checks` release (the logs always).
    nonisolated func publish(_ workspace: Workspace, ending: JobEnding, checks: OutputChecks) async -> CheckedResults {
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
