import SluiceCore
import SluiceOutputChecks
import Testing

@Suite("size caps on each side of their limit")
struct SizeRuleTests {
    @Test func perFile() {
        let policy = EffectiveOutputPolicy(maxFileBytes: 100)
        #expect(OutputRules.fileSize(100, policy: policy) == nil)
        let refused = OutputRules.fileSize(101, policy: policy)
        #expect(refused?.rule == .maxFileBytes)
        #expect(refused?.reason == "withheld: its 101 bytes are over the limit of 100 bytes per output file")
        #expect(OutputRules.fileSize(1 << 40, policy: EffectiveOutputPolicy()) == nil)
    }

    @Test func total() {
        let policy = EffectiveOutputPolicy(maxTotalBytes: 100)
        #expect(OutputRules.totalSize(40, releasedSoFar: 60, policy: policy) == nil)
        #expect(OutputRules.totalSize(41, releasedSoFar: 60, policy: policy)?.rule == .maxTotalBytes)
    }
}
