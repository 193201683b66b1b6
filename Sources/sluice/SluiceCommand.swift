import ArgumentParser

@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A Compute-to-Data node and its client, compatible with Ocean Protocol's provider API.",
        discussion: """
            Start a node on embedded defaults:
              sluice serve
            """,
        subcommands: [ServeCommand.self]
    )
}
