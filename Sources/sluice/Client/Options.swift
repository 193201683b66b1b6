import ArgumentParser
import Foundation
import SluiceClient
import SluiceEVM
#if canImport(Glibc)
import Glibc
#endif

/// `--node`, `--chain` and `--json`, accepted by every client command.
struct NodeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The node's URL (default $SLUICE_NODE, else http://127.0.0.1:8030).", valueName: "url"))
    var node: String?

    @Option(name: .long, help: ArgumentHelp(
        "For a node started with --chain: the same chain config; publishing, tokens and orders are then signed transactions on that chain (default $SLUICE_CHAIN).",
        valueName: "file"))
    var chain: String?

    @Flag(name: .long, help: "Print the answer as JSON on stdout, for scripts.")
    var json = false

    func client() async throws -> NodeClient {
        let env = ProcessInfo.processInfo.environment
        let url = node ?? env["SLUICE_NODE"] ?? "http://127.0.0.1:8030"
        guard let path = chain ?? env["SLUICE_CHAIN"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            return try NodeClient(nodeURL: url)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ClientError.invalidInput("Cannot read the chain config \(path).")
        }
        let config: ChainConfig
        do {
            config = try ChainConfig.parse(Array(data))
        } catch {
            throw ClientError.invalidInput("\(path): \(error.description).")
        }
        return try NodeClient(nodeURL: url, ledger: try await ChainLedger.connect(config))
    }
}

/// Which wallet signs, and how to unlock it.
struct WalletOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Wallet name in the wallet directory, or a keystore file path (default $SLUICE_WALLET).", valueName: "name"))
    var wallet: String?

    @OptionGroup var store: WalletStoreOptions
    @OptionGroup var password: PasswordOptions

    func load() throws -> Wallet {
        guard let name = wallet ?? ProcessInfo.processInfo.environment["SLUICE_WALLET"], !name.isEmpty else {
            throw ClientError.invalidInput("Name the wallet that signs with --wallet (or $SLUICE_WALLET).")
        }
        return try store.directory.load(name, password: try password.read(for: name))
    }
}

struct WalletStoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Wallet directory (default $SLUICE_WALLET_DIR, else ~/.sluice/wallets).", valueName: "dir"))
    var walletDir: String?

    var directory: WalletDirectory {
        walletDir.map { WalletDirectory(url: URL(fileURLWithPath: $0)) } ?? .standard()
    }
}

struct PasswordOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("File whose first line is the wallet password (else $SLUICE_WALLET_PASSWORD, else a prompt).", valueName: "file"))
    var passwordFile: String?

    func read(for wallet: String, confirm: Bool = false) throws -> String {
        if let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile) else {
                throw ClientError.invalidInput("Cannot read the password file \(passwordFile).")
            }
            let text = String(decoding: data, as: UTF8.self)
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        if let password = ProcessInfo.processInfo.environment["SLUICE_WALLET_PASSWORD"] { return password }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ClientError.invalidInput("No password for wallet \(wallet): use --password-file or set SLUICE_WALLET_PASSWORD.")
        }
        let first = Self.prompt("Password for wallet \(wallet): ")
        if confirm, Self.prompt("Repeat the password: ") != first {
            throw ClientError.invalidInput("The two passwords differ.")
        }
        return first
    }

    private static func prompt(_ text: String) -> String {
        // getpass reads from the terminal without echo.
        guard let pointer = getpass(text) else { return "" }
        return String(cString: pointer)
    }
}
