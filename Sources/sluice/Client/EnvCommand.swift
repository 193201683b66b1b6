import ArgumentParser
import SluiceClient
import SluiceCore

struct EnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "The node's compute environments.",
        discussion: "Example:\n  sluice env list --node http://127.0.0.1:8030",
        subcommands: [List.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the compute environments, their price and load.",
            discussion: "Example:\n  sluice env list --json")
        @OptionGroup var node: NodeOptions

        func run() async throws {
            try await CLI.run {
                let envs = try await node.client().environments()
                if node.json { return try CLI.json(envs) }
                for env in envs {
                    let price = env.isFree ? "free" : "\(env.priceMin)/min"
                    CLI.line("\(env.id)\t\(price)\tjobs \(env.currentJobs)/\(env.maxJobs)\tmax \(env.maxJobDuration) s\t\(env.desc)")
                }
            }
        }
    }
}
