import ArgumentParser
import SluiceClient
import SluiceCore

extension ComputeCommand {
    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As a dataset's owner, release or reject the results of a job awaiting your review.",
            discussion: """
                The job's outputs that passed the output checks stay withheld until every owner
                whose dataset requires a review approves them; one rejection, or the review's
                deadline passing, withholds them. The consumer sees the decision and the reason.

                Example:
                  sluice compute review JOB_ID --approve --wallet alice
                  sluice compute review JOB_ID --reject --reason "row-level data" --wallet alice
                """)
        @OptionGroup var job: JobArgument
        @Flag(name: .long, help: "Release the results.") var approve = false
        @Flag(name: .long, help: "Withhold the results.") var reject = false
        @Option(name: .long, help: "Why, in one line (the consumer sees it).") var reason: String?
        @OptionGroup var node: NodeOptions
        @OptionGroup var signer: WalletOptions

        func validate() throws {
            guard approve != reject else { throw ValidationError("Give exactly one of --approve and --reject.") }
        }

        func run() async throws {
            try await CLI.run {
                let info = try await node.client().review(jobId: job.jobId, decision: approve ? .approve : .reject,
                                                          reason: reason, by: try signer.load())
                if node.json { return try CLI.json(info) }
                CLI.line("Job \(info.jobId): \(info.statusText).")
                if let review = info.review { CLI.line("  review: \(review.state.rawValue)") }
            }
        }
    }
}
