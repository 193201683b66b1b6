import ArgumentParser
import Foundation
import SluiceClient

struct WalletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallet",
        abstract: "Create, import and list wallets (encrypted Ethereum keystore files).",
        discussion: """
            Wallets are keystore v3 files (scrypt, AES-128-CTR), mode 0600, readable by
            eth_account and geth. Scripts give the password with --password-file or
            SLUICE_WALLET_PASSWORD.

            Example:
              sluice wallet create alice --password-file alice.pw
            """,
        subcommands: [Create.self, Import.self, Address.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a wallet with a new random key.",
            discussion: "Example:\n  SLUICE_WALLET_PASSWORD=secret sluice wallet create bob")
        @Argument(help: "Name of the new wallet.") var name: String
        @OptionGroup var store: WalletStoreOptions
        @OptionGroup var password: PasswordOptions
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                let wallet = Wallet.create()
                let file = try store.directory.save(wallet, name: name, password: try password.read(for: name, confirm: true))
                try WalletCommand.report(name: name, wallet: wallet, file: file, json: json, verb: "Created")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a private key (hex, read from a file or stdin) into a new wallet.",
            discussion: "Example:\n  sluice wallet import alice --key-file alice.key --password-file alice.pw")
        @Argument(help: "Name of the new wallet.") var name: String
        @Option(name: .long, help: ArgumentHelp("File holding the key as 64 hex digits; '-' for stdin.", valueName: "file"))
        var keyFile: String = "-"
        @OptionGroup var store: WalletStoreOptions
        @OptionGroup var password: PasswordOptions
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                // The key is read from a file, never from the command line, where `ps` shows it.
                let data = keyFile == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: keyFile)
                guard let data else { throw ClientError.invalidInput("Cannot read the key file \(keyFile).") }
                let wallet = try Wallet.importKey(hex: String(decoding: data, as: UTF8.self))
                let file = try store.directory.save(wallet, name: name, password: try password.read(for: name, confirm: true))
                try WalletCommand.report(name: name, wallet: wallet, file: file, json: json, verb: "Imported")
            }
        }
    }

    struct Address: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a wallet's address (no password needed).",
            discussion: "Example:\n  sluice wallet address bob")
        @Argument(help: "Wallet name or keystore path.") var name: String
        @OptionGroup var store: WalletStoreOptions
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                let file = store.directory.file(for: name)
                guard let data = FileManager.default.contents(atPath: file.path) else {
                    throw ClientError.wallet("No wallet \(name): \(file.path) does not exist or cannot be read.")
                }
                guard let address = Keystore.address(in: data) else {
                    throw ClientError.keystore(path: file.path, reason: "it names no address")
                }
                if json { try CLI.json(["name": name, "address": address, "path": file.path]) } else { CLI.line(address) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the wallets in the wallet directory.",
            discussion: "Example:\n  sluice wallet list --wallet-dir ./wallets")
        @OptionGroup var store: WalletStoreOptions
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                let entries = store.directory.list()
                if json {
                    try CLI.json(entries.map { ["name": $0.name, "address": $0.address, "path": $0.path] })
                } else if entries.isEmpty {
                    CLI.note("No wallets in \(store.directory.url.path); create one with `sluice wallet create NAME`.")
                } else {
                    for entry in entries { CLI.line("\(entry.name)\t\(entry.address)") }
                }
            }
        }
    }

    static func report(name: String, wallet: Wallet, file: URL, json: Bool, verb: String) throws {
        if json {
            try CLI.json(["name": name, "address": wallet.checksummed, "path": file.path])
        } else {
            CLI.line("\(verb) wallet \(name): \(wallet.checksummed)")
            CLI.line("  keystore \(file.path) (mode 0600)")
        }
    }
}
