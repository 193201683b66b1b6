import Foundation
public import SluiceCore
public import SluiceCrypto

/// Provider fees as Ocean's provider makes them: the provider signs
/// `keccak256(providerData || providerFeeAddress || providerFeeToken || uint256 amount || uint256 validUntil)`
/// under the personal-sign prefix, so the datatoken contract (or anyone) can check it.
public enum ProviderFees {
    /// The fee for one job of `environment` on `serviceId` of `datatoken`, valid until `validUntil`.
    public static func make(
        environment: ComputeEnvironment, datatoken: EthereumAddress, serviceId: String,
        validUntil: Int, now: Int, key: PrivateKey
    ) -> ProviderFee {
        let data = JSONValue.object([
            "environment": .string(environment.id),
            "timestamp": .integer(Int64(now)),
            "dt": .string(datatoken.checksummed),
            "id": .string(serviceId),
        ]).compactJSON()
        var fee = ProviderFee(
            providerFeeAddress: key.address,
            providerFeeToken: environment.feeToken,
            providerFeeAmount: price(of: environment),
            providerData: Hex.encode(Array(data.utf8), prefix: true),
            v: 0, r: "", s: "", validUntil: validUntil)
        if let hash = messageHash(fee) {
            let signature = key.sign(digest: PersonalSign.digest(ofHash: hash))
            fee.v = signature.v
            fee.r = Hex.encode(signature.r, prefix: true)
            fee.s = Hex.encode(signature.s, prefix: true)
        }
        return fee
    }

    /// What a job in `environment` costs: `priceMin` per minute of its longest run,
    /// in wei of the fee token, rounded up.
    public static func price(of environment: ComputeEnvironment) -> TokenAmount {
        guard environment.priceMin > 0 else { return .zero }
        // Decimal avoids binary-float error in the per-minute price.
        let perMinute = Decimal(string: String(environment.priceMin)) ?? Decimal(environment.priceMin)
        var wei = perMinute * Decimal(environment.maxJobDuration) / 60 * Decimal(sign: .plus, exponent: 18, significand: 1)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &wei, 0, .up)
        return TokenAmount(weiText: NSDecimalNumber(decimal: rounded).stringValue) ?? .zero
    }

    /// The 32-byte hash the fee's signature covers; nil when a field is malformed.
    public static func messageHash(_ fee: ProviderFee) -> [UInt8]? {
        guard let data = Hex.decode(fee.providerData), fee.validUntil >= 0 else { return nil }
        return Keccak256.hash(data + fee.providerFeeAddress.bytes + fee.providerFeeToken.bytes + fee.providerFeeAmount.uint256Word
                              + TokenAmount(wei: UInt128(fee.validUntil)).uint256Word)
    }

    /// Who signed the fee, or nil when it does not parse or recover.
    public static func signer(of fee: ProviderFee) -> EthereumAddress? {
        guard let hash = messageHash(fee), let r = Hex.decode(fee.r), let s = Hex.decode(fee.s),
              r.count == 32, s.count == 32, (0...255).contains(fee.v),
              let signature = try? RecoverableSignature(rsv: r + s + [UInt8(fee.v)]) else { return nil }
        return try? PersonalSign.recoverSigner(ofHash: hash, signature: signature)
    }
}
