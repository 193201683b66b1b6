public import SluiceCore
public import SluiceCrypto

/// A transaction to sign: EIP-1559 (type 2) or legacy with EIP-155 replay protection.
public struct TransactionRequest: Sendable, Equatable {
    public enum Fees: Sendable, Equatable {
        case legacy(gasPrice: UInt128)
        case eip1559(maxFeePerGas: UInt128, maxPriorityFeePerGas: UInt128)
    }

    public var chainId: Int
    public var nonce: Int
    public var fees: Fees
    public var gasLimit: Int
    /// nil creates a contract.
    public var to: EthereumAddress?
    public var value: UInt128
    public var data: [UInt8]

    public init(chainId: Int, nonce: Int, fees: Fees, gasLimit: Int, to: EthereumAddress?, value: UInt128 = 0, data: [UInt8] = []) {
        self.chainId = chainId
        self.nonce = nonce
        self.fees = fees
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
    }

    var toItem: RLP { .bytes(to?.bytes ?? []) }

    /// The bytes whose keccak256 is signed.
    public var signingPayload: [UInt8] {
        switch fees {
        case .legacy(let gasPrice):
            // EIP-155: chain id, 0, 0 in place of v, r, s.
            return RLP.list([.uint(nonce), .uint(gasPrice), .uint(gasLimit), toItem, .uint(value), .bytes(data),
                             .uint(chainId), .uint(0), .uint(0)]).encoded
        case .eip1559(let maxFee, let tip):
            return [0x02] + RLP.list(eip1559Fields(maxFee: maxFee, tip: tip)).encoded
        }
    }

    func eip1559Fields(maxFee: UInt128, tip: UInt128) -> [RLP] {
        // The access list is always empty: Sluice's calls gain nothing from one.
        [.uint(chainId), .uint(nonce), .uint(tip), .uint(maxFee), .uint(gasLimit), toItem, .uint(value), .bytes(data), .list([])]
    }

    /// Signs with `key`: the raw transaction for `eth_sendRawTransaction` and its hash.
    public func signed(with key: PrivateKey) -> SignedTransaction {
        let signature = key.sign(digest: Keccak256.hash(signingPayload))
        let r = RLP.uint(UInt256(bigEndian: signature.r) ?? .zero)
        let s = RLP.uint(UInt256(bigEndian: signature.s) ?? .zero)
        let raw: [UInt8]
        switch fees {
        case .legacy(let gasPrice):
            let v = Int(signature.recoveryID) + chainId * 2 + 35
            raw = RLP.list([.uint(nonce), .uint(gasPrice), .uint(gasLimit), toItem, .uint(value), .bytes(data), .uint(v), r, s]).encoded
        case .eip1559(let maxFee, let tip):
            raw = [0x02] + RLP.list(eip1559Fields(maxFee: maxFee, tip: tip) + [.uint(Int(signature.recoveryID)), r, s]).encoded
        }
        return SignedTransaction(raw: raw)
    }
}

public struct SignedTransaction: Sendable, Equatable {
    public let raw: [UInt8]
    public var rawHex: String { Hex.encode(raw, prefix: true) }
    /// keccak256 of the raw bytes: the id the chain gives the transaction.
    public var hash: String { Hex.encode(Keccak256.hash(raw), prefix: true) }
}
