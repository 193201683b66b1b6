import ArgumentParser
import Foundation
import SluiceClient
import SluiceCore

struct ComputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compute",
        abstract: "Pay for, start, watch and collect compute jobs.",
        discussion: """
            Example (the seed's steps 5 and 6):
              sluice compute start did:op:DATASET did:op:ALGORITHM --wallet bob --wait --out results/
            """,
        subcommands: [Pay.self, Start.self, Status.self, Wait.self, Result.self, Logs.self, Stop.self, Delete.self, Review.self]
    )

    /// The inputs of `pay` and `start`.
    struct Inputs: ParsableArguments {
        @Argument(help: "The dataset's DID.") var dataset: String
        @Argument(help: "The algorithm's DID.") var algorithm: String
        @Option(name: .long, help: "Environment id (default: the node's first free one).") var env: String?
        @Option(name: .long, help: ArgumentHelp("An earlier order of the dataset to reuse.", valueName: "tx")) var datasetTx: String?
        @Option(name: .long, help: ArgumentHelp("An earlier order of the algorithm to reuse.", valueName: "tx")) var algorithmTx: String?

        func pay(_ client: NodeClient, _ wallet: Wallet) async throws -> (ComputePayment, EnvironmentListing) {
            let environment: EnvironmentListing
            if let env { environment = try await client.environment(id: env) } else { environment = try await client.freeEnvironment() }
            let datasetInput = try ComputeInput(ddo: try await client.resolve(dataset), transferTxId: datasetTx)
            let algorithmInput = try ComputeInput(ddo: try await client.resolve(algorithm), transferTxId: algorithmTx)
            let payment = try await client.payForCompute(dataset: datasetInput, algorithm: algorithmInput,
                                                         environment: environment, by: wallet)
            return (payment, environment)
        }
    }

    struct JobArgument: ParsableArguments {
        @Argument(help: "The job id.") var jobId: String
    }

    struct Pay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Order the dataset and the algorithm for a job, only where needed.",
            discussion: """
                Asks the node (initializeCompute) and places a new order, renews the fee of
                a reusable one, or keeps one still good: never paying twice.

                Example:
                  sluice compute pay did:op:DATASET did:op:ALGORITHM --wallet bob
                """)
        @OptionGroup var inputs: Inputs
        @OptionGroup var node: NodeOptions
        @OptionGroup var signer: WalletOptions

        func run() async throws {
            try await CLI.run {
                let client = try await node.client(), wallet = try signer.load()
                let (payment, env) = try await inputs.pay(client, wallet)
                if node.json {
                    try CLI.json(ComputeCommand.paymentJSON(payment, env: env))
                } else {
                    CLI.line("dataset   \(payment.dataset.transferTxId ?? "") (\(payment.datasetAction.rawValue))")
                    CLI.line("algorithm \(payment.algorithm.transferTxId ?? "") (\(payment.algorithmAction.rawValue))")
                    CLI.line("environment \(env.id)")
                }
            }
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pay where needed and start a job; with --wait, watch it and fetch its results.",
            discussion: """
                Example:
                  sluice compute start did:op:DATASET did:op:ALGORITHM --wallet bob --wait --out results/
                """)
        @OptionGroup var inputs: Inputs
        @Option(name: .long, help: ArgumentHelp("JSON object given to the algorithm as algoCustomData.json.", valueName: "json"))
        var algoCustomData: String?
        @Flag(name: .long, help: "Wait for the job to finish, showing its progress.") var wait = false
        @Option(name: .long, help: ArgumentHelp("With --wait: directory for the results and logs.", valueName: "dir")) var out: String?
        @Option(name: .long, help: "With --wait: give up waiting after this many seconds.") var timeout: Int?
        @OptionGroup var node: NodeOptions
        @OptionGroup var signer: WalletOptions

        func run() async throws {
            try await CLI.run {
                let client = try await node.client(), wallet = try signer.load()
                var custom: JSONValue?
                if let algoCustomData {
                    guard let parsed = try? JSONValue.parse(Array(algoCustomData.utf8)), parsed.objectValue != nil else {
                        throw ClientError.invalidInput("--algo-custom-data must be a JSON object.")
                    }
                    custom = parsed
                }
                let (paid, env) = try await inputs.pay(client, wallet)
                var payment = paid
                payment.algorithm.customData = custom
                let job = try await client.startCompute(dataset: payment.dataset, algorithm: payment.algorithm,
                                                        environment: env.id, by: wallet)
                if !wait {
                    if node.json { return try CLI.json(job) }
                    return CLI.line("Started job \(job.jobId) on \(env.id): \(job.statusText).")
                }
                if !node.json { CLI.note("Started job \(job.jobId) on \(env.id).") }
                try await ComputeCommand.finish(job.jobId, client: client, wallet: wallet, out: out, timeout: timeout, json: node.json)
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a job's status.",
            discussion: "Example:\n  sluice compute status JOB_ID --wallet bob")
        @OptionGroup var job: JobArgument
        @OptionGroup var node: NodeOptions
        @OptionGroup var signer: WalletOptions

        func run() async throws {
            try await CLI.run {
                let info = try await node.client().status(jobId: job.jobId, by: try signer.load())
                if node.json { return try CLI.json(info) }
                ComputeCommand.describe(info)
            }
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait for a job with live progress; exit non-zero when it fails.",
            discussion: "Example:\n  sluice compute wait JOB_ID --wallet bob --out results/")
        @OptionGroup var job: JobArgument
        @Option(name: .long, help: ArgumentHelp("Directory for the results and logs.", valueName: "dir")) var out: String?
        @Option(name: .long, help: "Give up waiting after this many seconds.") var timeout: Int?
        @Flag(name: .long, help: "Print the algorithm log as it is written, then wait for the end.") var follow = false
        @OptionGroup var node: NodeOptions
        @OptionGroup var signer: WalletOptions

        func run() async throws {
            try await CLI.run {
                if follow {
                    try await ComputeCommand.follow(job.jobId, client: try await node.client(), wallet: try signer.load())
                }
                try await ComputeCommand.finish(job.jobId, client: try await node.client(), wallet: try signer.load(),
                                                out: out, timeout: timeout, json: node.json)
            }
        }
    }

    struct Result: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a job's outputs (all, or one by index).",
            discussion: "Example:\n  sluice compute result JOB_ID --wallet bob --out results/")
        @OptionGroup var job: JobArgument
        @Option(name: .long, help: ArgumentHelp("Directory to write to.", valueName: "dir")) var out = "."
        @Option(name: .long, help: "Only the result with this index.") var index: Int?
        @OptionGroup var node: NodeOptions
        @OptionGroup var signer: WalletOptions

        func run() async throws {
            try await CLI.run {
                let client = try await node.client(), wallet = try signer.load()
                let info = try await client.status(jobId: job.jobId, by: wallet)
                let dir = URL(fileURLWithPath: out)
                var files: [URL]
                if let index {
                    guard let result = info.results.first(where: { $0.index == index }) else {
                        throw ClientError.invalidInput("Job \(job.jobId) has no result \(index); it has \(info.results.count).")
                    }
                    let file = dir.appendingPathComponent(try ComputeCommand.safeName(result.filename))
                    try await client.downloadResult(jobId: job.jobId, index: index, to: file, by: wallet)
                    files = [file]
                } else {
                    guard !info.outputs.isEmpty else {
                        throw ClientError.invalidInput("Job \(job.jobId) has no outputs (it is \(info.statusText.lowercased())).")
                    }
                    files = try await client.downloadResults(of: info, to: dir, includeLogs: false, by: wallet)
                }
                ComputeCommand.printFiles(files, json: node.json)
            }
        }
    }

    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a job's algorithm log, or save all its logs with --out.",
            discussion: "Example:\n  sluice compute logs JOB_ID --wallet bob")
        @OptionGroup var job: JobArgument
        @Option(name: .long, help: ArgumentHelp("Directory to save every log in.", valueName: "dir")) var out: String?
        @Flag(name: .long, help: "Print the algorithm log as it is written, until the algorithm ends.") var follow = false
        @OptionGroup var node: NodeOptions
        @OptionGroup var signer: WalletOptions

        func run() async throws {
            try await CLI.run {
                let client = try await node.client(), wallet = try signer.load()
                if follow { return try await ComputeCommand.follow(job.jobId, client: client, wallet: wallet) }
                let info = try await client.status(jobId: job.jobId, by: wallet)
                if let out {
                    let files = try await client.downloadResults(of: info, to: URL(fileURLWithPath: out), includeOutputs: false, by: wallet)
                    return ComputeCommand.printFiles(files.map { $0 }, json: node.json)
                }
                guard let log = info.results.first(where: { $0.type == .algorithmLog }) else {
                    throw ClientError.invalidInput("Job \(job.jobId) has no algorithm log yet (it is \(info.statusText.lowercased())).")
                }
                let temp = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-log-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: temp) }
                try await client.downloadResult(jobId: job.jobId, index: log.index, to: temp, by: wallet)
                FileHandle.standardOutput.write(try Data(contentsOf: temp))
            }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a running job.",
            discussion: "Example:\n  sluice compute stop JOB_ID --wallet bob")
        @OptionGroup var action: JobAction

        func run() async throws { try await action.run { try await $0.stop(jobId: $1, by: $2) } }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a job and its results from the node.",
            discussion: "Example:\n  sluice compute delete JOB_ID --wallet bob")
        @OptionGroup var action: JobAction

        func run() async throws { try await action.run { try await $0.delete(jobId: $1, by: $2) } }
    }

    /// What stop and delete share: one job, asked of the node by its owner; prints the
    /// status the node answers.
    struct JobAction: ParsableArguments {
        @OptionGroup var job: JobArgument
        @OptionGroup var node: NodeOptions
        @OptionGroup var signer: WalletOptions

        func run(_ act: (NodeClient, String, Wallet) async throws -> JobStatus) async throws {
            try await CLI.run {
                let info = try await act(try await node.client(), job.jobId, try signer.load())
                if node.json { return try CLI.json(info) }
                CLI.line("Job \(info.jobId): \(info.statusText).")
            }
        }
    }

    /// Waits with progress, downloads into `out` (logs even when the job failed), and
    /// exits non-zero with the reason when it failed.
    static func finish(_ jobId: String, client: NodeClient, wallet: Wallet, out: String?, timeout: Int?, json: Bool) async throws {
        let job = try await JobProgress.wait(for: jobId, client: client, wallet: wallet, timeout: timeout.map { .seconds($0) })
        var files: [URL] = []
        if let out {
            files = try await client.downloadResults(of: job, to: URL(fileURLWithPath: out), includeOutputs: job.succeeded, by: wallet)
        }
        if json {
            try CLI.json(job)
        } else {
            describe(job)
            printFiles(files, json: false)
        }
        guard job.succeeded else {
            throw ClientError.jobFailed(jobId: job.jobId, status: job.statusText, reason: job.failureReason)
        }
    }

    /// Prints the job's algorithm log to stdout as the node streams it.
    static func follow(_ jobId: String, client: NodeClient, wallet: Wallet) async throws {
        try await client.followLog(jobId: jobId, by: wallet) { chunk in
            FileHandle.standardOutput.write(Data(chunk))
        }
    }

    static func paymentJSON(_ payment: ComputePayment, env: EnvironmentListing) -> [String: String] {
        ["environment": env.id,
         "datasetTransferTxId": payment.dataset.transferTxId ?? "", "datasetAction": payment.datasetAction.rawValue,
         "algorithmTransferTxId": payment.algorithm.transferTxId ?? "", "algorithmAction": payment.algorithm.transferTxId == nil ? "" : payment.algorithmAction.rawValue]
    }

    static func describe(_ job: JobStatus) {
        CLI.line("job \(job.jobId): \(job.statusText) (status \(job.status))")
        if !job.failureReason.isEmpty { CLI.line("  why: \(job.failureReason)") }
        if let used = job.resources, !used.isUnmeasured {
            let cpu = used.cpuSeconds.map { String(format: "%.2f s of CPU", $0) } ?? "CPU not measured"
            let memory = used.peakMemoryBytes.map { "peak memory \($0) bytes" } ?? "peak memory not measured"
            CLI.line("  used: \(cpu), \(memory)")
        }
        for result in job.results {
            CLI.line("  [\(result.index)] \(result.type.rawValue) \(result.filename) (\(result.filesize) bytes)")
        }
    }

    static func printFiles(_ files: [URL], json: Bool) {
        if json {
            try? CLI.json(files.map(\.path))
        } else {
            for file in files { CLI.line("  saved \(file.path)") }
        }
    }

    static func safeName(_ name: String) throws -> String {
        let parts = name.split(separator: "/")
        guard let last = parts.last, last != "..", last != "." else {
            throw ClientError.invalidInput("The node named a result \"\(name)\", which is not a safe file name.")
        }
        return String(last)
    }
}
