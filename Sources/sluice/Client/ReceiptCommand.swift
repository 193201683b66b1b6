import ArgumentParser
import Foundation
import SluiceClient
import SluiceCore
import SluiceCrypto

struct ReceiptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Job receipts: the node's signed account of what ran on what.",
        discussion: "Example:\n  sluice receipt verify results/logs/receipt.json --node-address 0x...",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a receipt offline: its signature, its node, and the downloaded outputs it lists.",
            discussion: """
                The outputs directory defaults to the one `sluice compute ... --out DIR` wrote
                (DIR when the receipt is DIR/logs/receipt.json).
                Example:
                  sluice receipt verify results/logs/receipt.json --node-address 0x1a64...F1
                """)
        @Argument(help: "The receipt file.") var file: String
        @Option(name: .customLong("node-address"), help: ArgumentHelp("The node's address the receipt must be signed by.", valueName: "0x..."))
        var nodeAddress: String?
        @Option(name: .long, help: ArgumentHelp("Directory holding the downloaded outputs.", valueName: "dir")) var outputs: String?
        @Flag(name: .long, help: "Print the verified receipt as JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                var expected: EthereumAddress?
                if let nodeAddress {
                    guard let address = EthereumAddress(nodeAddress) else {
                        throw ClientError.invalidInput("--node-address must be a 0x address.")
                    }
                    expected = address
                }
                let url = URL(fileURLWithPath: file)
                let directory = outputs.map { URL(fileURLWithPath: $0) } ?? ReceiptVerification.defaultOutputs(for: url)
                let receipt: JobReceipt
                do {
                    receipt = try ReceiptVerification.verify(receipt: url, nodeAddress: expected, outputs: directory)
                } catch let problem as ReceiptProblem {
                    throw ClientError.invalidInput("The receipt does not verify: \(problem.description).")
                }
                if json { return try CLI.json(receipt) }
                CLI.line("receipt of job \(receipt.jobId) verified: signed by \(receipt.node)")
                CLI.line("  algorithm \(receipt.algorithm.did) sha256 \(receipt.algorithm.sha256 ?? "none")")
                for dataset in receipt.datasets {
                    CLI.line("  dataset \(dataset.did): \(dataset.files.count) file(s)")
                }
                for output in receipt.outputs { CLI.line("  output \(output.filename) sha256 \(output.sha256) matches") }
                for decision in receipt.outputChecks where !decision.released {
                    CLI.line("  withheld \(decision.filename): \(decision.reason ?? "")")
                }
            }
        }
    }
}
