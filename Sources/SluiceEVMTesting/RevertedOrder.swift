import SluiceCore
import SluiceEVM

extension Harness {
    public struct NoRevert: Error, CustomStringConvertible {
        public var description: String { "startOrder without a datatoken did not revert" }
    }

    /// A `startOrder` of `datatoken` that reverts on chain: sent by the owner account,
    /// which holds none of it, with a fixed gas limit (an estimate would fail on the
    /// revert). Returns the mined transaction's hash.
    public func revertedStartOrder(datatoken: EthereumAddress, fee: ProviderFee) async throws -> String {
        let owner = try account("owner")
        let sender = TransactionSender(client: client, chainId: chainId, key: owner.key)
        let (feeAddress, feeToken) = (fee.providerFeeAddress, fee.providerFeeToken)
        guard let r = Hex.decode(fee.r), let s = Hex.decode(fee.s), let providerData = Hex.decode(fee.providerData) else {
            throw Unusable(description: "the provider fee is malformed")
        }
        let arguments: [ABIValue] = [
            .address(owner.address), .uint(0),
            .tuple([.address(feeAddress), .address(feeToken), .uint(0), .uint(fee.v), .fixedBytes(r), .fixedBytes(s),
                    .uint(fee.validUntil), .bytes(providerData)]),
            .tuple([.address(owner.address), .address(owner.address), .uint(0)]),
        ]
        let data = try OceanContracts.startOrder.callData(arguments)
        return try await retryingNonce {
            let request = try await sender.prepare(to: datatoken, data: data, gasLimit: 400_000)
            do {
                _ = try await sender.send(request)
            } catch TransactionSender.Failure.reverted(let hash) {
                return hash
            }
            throw NoRevert()
        }
    }
}
