import NIOHTTP1
public import SluiceCore

extension NodeClient {
    /// Mints `amount` of `datatoken` to `holder`; only the datatoken's minter (the
    /// publisher) may. Returns the holder's new balance.
    public func mint(datatoken: String, to holder: String, amount: TokenAmount, by wallet: Wallet) async throws(ClientError) -> TokenAmount {
        let token = try Self.address(datatoken, what: "datatoken"), to = try Self.address(holder, what: "recipient")
        return try await ledger.mint(datatoken: token, to: to, amount: amount, node: self, by: wallet)
    }

    /// Moves `amount` of `token` from the wallet to `holder`; returns the sender's balance.
    public func transfer(token: String, to holder: String, amount: TokenAmount, by wallet: Wallet) async throws(ClientError) -> TokenAmount {
        let token = try Self.address(token, what: "token"), to = try Self.address(holder, what: "recipient")
        return try await ledger.transfer(token: token, to: to, amount: amount, node: self, by: wallet)
    }

    /// The balance of `holder` in `token`.
    public func balance(token: String, holder: String) async throws(ClientError) -> TokenAmount {
        let token = try Self.address(token, what: "token"), holder = try Self.address(holder, what: "holder")
        return try await ledger.balance(token: token, holder: holder, node: self)
    }

    func balance(in bytes: [UInt8]) throws(ClientError) -> TokenAmount {
        try decode(TokenBalance.self, bytes, what: "balance").balance
    }

    static func address(_ text: String, what: String) throws(ClientError) -> EthereumAddress {
        guard let address = EthereumAddress(text) else {
            throw .invalidInput("\"\(text)\" is not an address for the \(what): expected 0x followed by 40 hex digits.")
        }
        return address
    }
}

extension TokenAmount {
    /// Whole or fractional tokens written in decimal (`5`, `0.25`), 18 decimals at most.
    public init?(tokens text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2,
              whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 18, fraction.allSatisfy(\.isASCII), fraction.allSatisfy(\.isNumber),
              !(whole.isEmpty && fraction.isEmpty) else { return nil }
        let digits = String(whole) + String(fraction) + String(repeating: "0", count: 18 - fraction.count)
        let trimmed = digits.drop { $0 == "0" }
        self.init(weiText: trimmed.isEmpty ? "0" : trimmed)
    }

    /// The amount in tokens, e.g. `5` or `0.25`.
    public var tokensText: String {
        let whole = wei / TokenAmount.weiPerToken, fraction = wei % TokenAmount.weiPerToken
        guard fraction > 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 18 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
