import ArgumentParser
import Foundation
import SluiceClient
import SluiceCore

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Mint, transfer and count datatokens.",
        discussion: """
            A token is named by its address, or by an asset's DID: then the datatoken of
            its compute service (datasets) or first service (algorithms), or of --service.
            Amounts are in tokens (5, 0.5).

            Example:
              sluice token mint did:op:DATASET --to 0xBob… --amount 5 --wallet alice
            """,
        subcommands: [Mint.self, Transfer.self, Balance.self]
    )

    struct TokenOptions: ParsableArguments {
        @Argument(help: "Datatoken address, or an asset's DID.") var token: String
        @Option(name: .long, help: "With a DID: the service whose datatoken to use.") var service: String?

        /// The token address and, for a DID, what it was.
        func resolve(with client: NodeClient) async throws -> (address: String, label: String) {
            guard token.hasPrefix("did:") else { return (token, token) }
            let ddo = try await client.resolve(token)
            let (serviceId, address) = try ddo.datatoken(serviceId: service)
            return (address.checksummed, "\(ddo.id.text) service \(serviceId)")
        }
    }

    static func amount(_ text: String) throws -> TokenAmount {
        guard let amount = TokenAmount(tokens: text), amount > .zero else {
            throw ClientError.invalidInput("\"\(text)\" is not an amount of tokens: use a positive number such as 5 or 0.5.")
        }
        return amount
    }

    struct Mint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mint datatokens to an address (the publisher only).",
            discussion: "Example:\n  sluice token mint did:op:ALGORITHM --to 0xBob… --amount 5 --wallet alice")
        @OptionGroup var move: TokenMove

        func run() async throws {
            try await move.run(jsonKey: "minted") { client, token, to, amount, wallet in
                try await client.mint(datatoken: token, to: to, amount: amount, by: wallet)
            } line: { amount, label, to, balance in
                "Minted \(amount.tokensText) of \(label) to \(to); it now holds \(balance.tokensText)."
            }
        }
    }

    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send tokens from the wallet to an address.",
            discussion: "Example:\n  sluice token transfer 0xToken… --to 0xCarol… --amount 1 --wallet bob")
        @OptionGroup var move: TokenMove

        func run() async throws {
            try await move.run(jsonKey: "sent") { client, token, to, amount, wallet in
                try await client.transfer(token: token, to: to, amount: amount, by: wallet)
            } line: { amount, label, to, left in
                "Sent \(amount.tokensText) of \(label) to \(to); \(left.tokensText) left."
            }
        }
    }

    /// What mint and transfer share: a token, a recipient and an amount, signed by the
    /// wallet; `move` answers the balance it reports (the recipient's or the sender's).
    struct TokenMove: ParsableArguments {
        @OptionGroup var token: TokenOptions
        @Option(name: .long, help: "Recipient address or wallet name.") var to: String
        @Option(name: .long, help: "Tokens to mint or send.") var amount: String
        @OptionGroup var node: NodeOptions
        @OptionGroup var signer: WalletOptions

        func run(jsonKey: String, _ move: (NodeClient, String, String, TokenAmount, Wallet) async throws -> TokenAmount,
                 line: (TokenAmount, String, String, TokenAmount) -> String) async throws {
            try await CLI.run {
                let amount = try TokenCommand.amount(amount)
                let client = try await node.client(), wallet = try signer.load()
                let (address, label) = try await token.resolve(with: client)
                let recipient = try TokenCommand.address(to, store: signer.store)
                let balance = try await move(client, address, recipient, amount, wallet)
                if node.json {
                    try CLI.json(["token": address, "to": recipient, jsonKey: amount.description, "balance": balance.description])
                } else {
                    CLI.line(line(amount, label, recipient, balance))
                }
            }
        }
    }

    struct Balance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print how many tokens an address holds.",
            discussion: "Example:\n  sluice token balance did:op:DATASET --holder bob")
        @OptionGroup var token: TokenOptions
        @Option(name: .long, help: "Holder address or wallet name.") var holder: String
        @OptionGroup var store: WalletStoreOptions
        @OptionGroup var node: NodeOptions

        func run() async throws {
            try await CLI.run {
                let client = try await node.client()
                let (address, label) = try await token.resolve(with: client)
                let who = try TokenCommand.address(holder, store: store)
                let balance = try await client.balance(token: address, holder: who)
                if node.json {
                    try CLI.json(["token": address, "holder": who, "balance": balance.description])
                } else {
                    CLI.line("\(who) holds \(balance.tokensText) of \(label).")
                }
            }
        }
    }

    /// An address as given, or the address of a wallet in the directory.
    static func address(_ text: String, store: WalletStoreOptions) throws -> String {
        if EthereumAddress(text) != nil { return text }
        let file = store.directory.file(for: text)
        guard let data = FileManager.default.contents(atPath: file.path), let address = Keystore.address(in: data) else {
            throw ClientError.invalidInput("\"\(text)\" is neither an address nor a wallet name.")
        }
        return address
    }
}
