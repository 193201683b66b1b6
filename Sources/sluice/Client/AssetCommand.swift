import ArgumentParser
import Foundation
import SluiceClient
import SluiceCore
import SluiceCrypto

struct AssetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asset",
        abstract: "Publish datasets and algorithms, allow an algorithm on a dataset, resolve a DID.",
        discussion: """
            Example:
              sluice asset publish-dataset --local /srv/data/branin.arff --name "Branin dataset" --wallet alice
            """,
        subcommands: [PublishDataset.self, PublishAlgorithm.self, Trust.self, Resolve.self]
    )

    /// `--url` or `--local`: where the node finds the file.
    struct FileOptions: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("A URL the node downloads the file from.", valueName: "url")) var url: String?
        @Option(name: .long, help: ArgumentHelp("A path on the node's machine, under its localFileRoots.", valueName: "path")) var local: String?

        func file() throws -> DataSource {
            switch (url, local) {
            case (let url?, nil): return .url(url)
            case (nil, let path?):
                // The node resolves the path on its own machine; an absolute path says which.
                return .path(URL(fileURLWithPath: path).standardizedFileURL.path)
            default: throw ClientError.invalidInput("Give exactly one of --url and --local.")
            }
        }
    }

    struct DescriptionOptions: ParsableArguments {
        @Option(name: .long, help: "Asset name.") var name: String
        @Option(name: .long, help: "Asset description.") var description: String = ""
        @Option(name: .long, help: "Author (default: the wallet's address).") var author: String?
        @Option(name: .long, help: "License.") var license: String = "CC0"

        func make(for wallet: Wallet) -> AssetDescription {
            AssetDescription(name: name, description: description, author: author ?? wallet.checksummed, license: license)
        }
    }

    struct PublishDataset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a dataset with an access and a compute service.",
            discussion: """
                Example:
                  sluice asset publish-dataset --url https://example.org/branin.arff --name "Branin dataset" --wallet alice
                """)
        @OptionGroup var file: FileOptions
        @OptionGroup var about: DescriptionOptions
        @Option(name: .long, help: "Seconds an order of the dataset stays usable.") var timeout = 86400
        @OptionGroup var node: NodeOptions
        @OptionGroup var signer: WalletOptions

        func run() async throws {
            try await CLI.run {
                let client = try await node.client(), wallet = try signer.load()
                let ddo = try await client.publishDataset(try file.file(), about.make(for: wallet), timeout: timeout, by: wallet)
                try AssetCommand.print(ddo, json: node.json, verb: "Published")
            }
        }
    }

    struct PublishAlgorithm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish an algorithm: its file and the container section it runs in.",
            discussion: """
                The container's image:tag names a runtime of the compute environment.
                --checksum is the image digest a Docker environment checks; bubblewrap
                runtimes have none, so it defaults to the SHA-256 of "image:tag".

                Example:
                  sluice asset publish-algorithm --local /srv/data/gpr.py --name gpr --image python --tag 3.11 --wallet alice
                """)
        @OptionGroup var file: FileOptions
        @OptionGroup var about: DescriptionOptions
        @Option(name: .long, help: "Container image.") var image = "python"
        @Option(name: .long, help: "Container tag.") var tag = "3.11"
        @Option(name: .long, help: "Command run in the sandbox; $ALGO is the algorithm's file.") var entrypoint = "python $ALGO"
        @Option(name: .long, help: "Image digest, sha256: followed by 64 hex digits.") var checksum: String?
        @Option(name: .long, help: "Algorithm language.") var language = "python"
        @OptionGroup var node: NodeOptions
        @OptionGroup var signer: WalletOptions

        func run() async throws {
            try await CLI.run {
                let client = try await node.client(), wallet = try signer.load()
                let digest = checksum ?? "sha256:" + SHA256Hex.of("\(image):\(tag)")
                let container = AlgorithmContainer(image: image, tag: tag, entrypoint: entrypoint, checksum: digest, language: language)
                let ddo = try await client.publishAlgorithm(try file.file(), about.make(for: wallet), container: container, by: wallet)
                try AssetCommand.print(ddo, json: node.json, verb: "Published")
            }
        }
    }

    struct Trust: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Allow a published algorithm on a dataset's compute service.",
            discussion: "Example:\n  sluice asset trust did:op:DATASET did:op:ALGORITHM --wallet alice")
        @Argument(help: "The dataset's DID.") var dataset: String
        @Argument(help: "The algorithm's DID.") var algorithm: String
        @Option(name: .long, help: "The dataset's compute service id.") var service = "compute"
        @OptionGroup var node: NodeOptions
        @OptionGroup var signer: WalletOptions

        func run() async throws {
            try await CLI.run {
                let client = try await node.client(), wallet = try signer.load()
                let ddo = try await client.trust(algorithm: algorithm, on: dataset, serviceId: service, by: wallet)
                try AssetCommand.print(ddo, json: node.json, verb: "Updated")
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an asset's DDO.",
            discussion: "Example:\n  sluice asset resolve did:op:0123… --json")
        @Argument(help: "The asset's DID.") var did: String
        @OptionGroup var node: NodeOptions

        func run() async throws {
            try await CLI.run {
                try AssetCommand.print(try await node.client().resolve(did), json: node.json, verb: nil)
            }
        }
    }

    static func print(_ ddo: DDO, json: Bool, verb: String?) throws {
        if json { return try CLI.json(ddo) }
        var lines = ddo.summaryLines
        if let verb { lines[0] = "\(verb) " + lines[0] }
        lines.forEach(CLI.line)
    }
}
