/// A holder's balance of a datatoken on the embedded ledger: what the balance, mint and
/// transfer routes answer and the SDK reads.
public struct TokenBalance: Codable, Sendable, Equatable {
    public var token: EthereumAddress
    public var holder: EthereumAddress
    public var balance: TokenAmount

    public init(token: EthereumAddress, holder: EthereumAddress, balance: TokenAmount) {
        self.token = token
        self.holder = holder
        self.balance = balance
    }
}
