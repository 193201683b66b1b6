import Foundation
import SluiceCore
import SluiceCrypto
import Testing
@testable import SluiceLedger

@Suite("Provider fees and file lists")
struct ProviderFeeTests {
    @Test func pricesCoverTheLongestRunRoundedUp() {
        #expect(ProviderFees.price(of: ComputeEnvironment(id: "free")) == .zero)
        let paid = ComputeEnvironment(id: "paid", maxJobDuration: 90, priceMin: 0.1)
        // 0.1 per minute for 1.5 minutes = 0.15 tokens.
        #expect(ProviderFees.price(of: paid).description == "150000000000000000")
        let odd = ComputeEnvironment(id: "odd", maxJobDuration: 1, priceMin: 1)
        // 1/60 token, rounded up to a whole wei.
        #expect(ProviderFees.price(of: odd).description == "16666666666666667")
    }

    @Test func feesVerifyOnlyUnchanged() throws {
        let key = PrivateKey.generate()
        let env = ComputeEnvironment(id: "free-cpu")
        let dt = try #require(EthereumAddress("0x" + String(repeating: "ab", count: 20)))
        let fee = ProviderFees.make(environment: env, datatoken: dt, serviceId: "compute", validUntil: 2_000_000_000, now: 1_900_000_000, key: key)
        #expect(ProviderFees.signer(of: fee) == key.address)
        #expect(fee.decodedData == ProviderFee.Data(environment: "free-cpu", timestamp: 1_900_000_000, datatoken: dt, serviceId: "compute"))
        var changed = fee
        changed.providerFeeAmount = TokenAmount(wei: 1)
        #expect(ProviderFees.signer(of: changed) != key.address)
        changed = fee
        changed.providerData = "0x7b7d"
        #expect(ProviderFees.signer(of: changed) != key.address)
        changed = fee
        changed.v = 99
        #expect(ProviderFees.signer(of: changed) == nil)
    }

    @Test func localPathsMustStayInsideTheRoots() {
        let cipher = FileListCipher(key: .generate(), localFileRoots: ["/srv/data"])
        #expect(cipher.isAllowedLocal("/srv/data/branin.arff"))
        #expect(cipher.isAllowedLocal("/srv/data/sub/./x"))
        #expect(!cipher.isAllowedLocal("/srv/data/../../etc/shadow"))
        #expect(!cipher.isAllowedLocal("/srv/database/x"))
        #expect(!cipher.isAllowedLocal("relative/path"))
        #expect(!FileListCipher(key: .generate(), localFileRoots: []).isAllowedLocal("/srv/data/x"))
    }

    @Test func aLinkInsideARootCannotLeadOut() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-roots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("ok".utf8).write(to: root.appendingPathComponent("data.csv"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("shadow").path, withDestinationPath: "/etc/shadow")
        let cipher = FileListCipher(key: .generate(), localFileRoots: [root.path])
        #expect(cipher.isAllowedLocal(root.appendingPathComponent("data.csv").path))
        #expect(!cipher.isAllowedLocal(root.appendingPathComponent("shadow").path))
    }
}
