import ArgumentParser

@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A Compute-to-Data node and its client, compatible with Ocean Protocol's provider API.",
        discussion: """
            Start a node on embedded defaults, then use it:
              sluice serve
              sluice wallet create alice
              sluice asset publish-dataset --local /srv/data/branin.arff --name Branin --wallet alice
              sluice compute start did:op:DATA did:op:ALGO --wallet bob --wait --out results/
            """,
        subcommands: [ServeCommand.self, WalletCommand.self, AssetCommand.self, TokenCommand.self,
                      ComputeCommand.self, EnvCommand.self, ReceiptCommand.self]
    )

    static func main() async {
        await main(LeadingOptions.hoisted(Array(CommandLine.arguments.dropFirst())))
    }
}
