import Foundation
import SluiceCore
import Testing

@Suite("output policy: keys, defaults, overrides and the strictest rule")
struct PolicyTests {
    func decode(_ json: String) throws -> OutputPolicy {
        try JSONDecoder().decode(OutputPolicy.self, from: Data(json.utf8))
    }

    func refusal(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch let error as DecodingError {
            return DecodingProblem.sentence(error)
        } catch {
            return "\(error)"
        }
    }

    @Test func theBuiltInDefaultsCheckCopiesAndSmallCounts() {
        let p = EffectiveOutputPolicy.builtIn
        #expect(p.verbatimWindowBytes == 64)
        #expect(p.minCellCount == 10)
        #expect(p.frequencyColumns == ["count", "freq", "frequency", "n"])
        #expect(p.maxFileBytes == nil && p.maxTotalBytes == nil && p.maxRows == nil && p.allowedTypes == nil)
        #expect(p.bannedColumns.isEmpty)
    }

    @Test func everyKeyDecodes() throws {
        let p = try decode("""
            {"maxFileBytes": 10, "maxTotalBytes": 20, "allowedTypes": ["csv", "png"], "maxRows": 5,
             "bannedColumns": ["Patient_ID"], "frequencyColumns": ["cnt"], "minCellCount": 5,
             "verbatimCheck": true, "verbatimWindowBytes": 32}
            """)
        let e = EffectiveOutputPolicy.builtIn.overridden(by: p)
        #expect(e == EffectiveOutputPolicy(maxFileBytes: 10, maxTotalBytes: 20, allowedTypes: [.png, .csv], maxRows: 5,
                                           bannedColumns: ["patient_id"], frequencyColumns: ["cnt"], minCellCount: 5,
                                           verbatimWindowBytes: 32))
    }

    @Test func unknownKeysAndBadValuesAreRefusedNamingTheKey() {
        #expect(refusal(#"{"maxFilesBytes": 1}"#)?.contains("maxFilesBytes") == true)
        #expect(refusal(#"{"maxRows": -1}"#)?.contains("maxRows") == true)
        #expect(refusal(#"{"allowedTypes": ["exe"]}"#)?.contains("allowedTypes") == true)
        #expect(refusal(#"{"verbatimWindowBytes": 15}"#)?.contains("verbatimWindowBytes") == true)
        #expect(refusal(#"{"verbatimWindowBytes": 16}"#) == nil)
        #expect(refusal(#"{"bannedColumns": [""]}"#)?.contains("bannedColumns") == true)
        #expect(refusal(#"{"verbatimCheck": "yes"}"#)?.contains("verbatimCheck") == true)
    }

    @Test func theOwnerMayTurnTheVerbatimCheckOffOrChangeK() {
        let base = EffectiveOutputPolicy.builtIn
        #expect(base.overridden(by: OutputPolicy(verbatimCheck: false)).verbatimWindowBytes == nil)
        #expect(base.overridden(by: OutputPolicy(verbatimWindowBytes: 128)).verbatimWindowBytes == 128)
        let off = base.overridden(by: OutputPolicy(verbatimCheck: false))
        #expect(off.overridden(by: OutputPolicy(verbatimWindowBytes: 32)).verbatimWindowBytes == nil, "K alone does not turn it on")
        #expect(off.overridden(by: OutputPolicy(verbatimCheck: true)).verbatimWindowBytes == 64)
        #expect(base.overridden(by: nil) == base)
    }

    @Test func theStrictestRuleOfTheDatasetsWins() {
        let a = EffectiveOutputPolicy(maxFileBytes: 100, maxTotalBytes: nil, allowedTypes: [.csv, .png], maxRows: 50,
                                      bannedColumns: ["a"], frequencyColumns: ["n"], minCellCount: 5, verbatimWindowBytes: nil)
        let b = EffectiveOutputPolicy(maxFileBytes: 200, maxTotalBytes: 300, allowedTypes: [.csv, .json], maxRows: nil,
                                      bannedColumns: ["b"], frequencyColumns: ["count"], minCellCount: 10, verbatimWindowBytes: 128)
        let c = EffectiveOutputPolicy.strictest([a, b])
        #expect(c.maxFileBytes == 100)
        #expect(c.maxTotalBytes == 300)
        #expect(c.allowedTypes == [.csv])
        #expect(c.maxRows == 50)
        #expect(c.bannedColumns == ["a", "b"])
        #expect(c.frequencyColumns == ["count", "n"])
        #expect(c.minCellCount == 10)
        #expect(c.verbatimWindowBytes == 128, "on if any dataset has it on")
        #expect(EffectiveOutputPolicy.strictest([b, a.overridden(by: OutputPolicy(verbatimWindowBytes: 32))]).verbatimWindowBytes == 128,
                "a K set while the check is off stays off")
        let d = b.overridden(by: OutputPolicy(verbatimWindowBytes: 32))
        #expect(EffectiveOutputPolicy.strictest([b, d]).verbatimWindowBytes == 32, "the smallest K")
        #expect(EffectiveOutputPolicy.strictest([]) == .builtIn)
    }

    @Test func theNodeConfigTakesAnOutputPolicyStrictly() throws {
        let config = try JSONDecoder().decode(NodeConfig.self, from: Data(#"{"outputPolicy": {"maxRows": 7, "verbatimCheck": false}}"#.utf8))
        #expect(config.effectiveOutputPolicy.maxRows == 7)
        #expect(config.effectiveOutputPolicy.verbatimWindowBytes == nil)
        #expect(NodeConfig().effectiveOutputPolicy == .builtIn)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(NodeConfig.self, from: Data(#"{"outputPolicy": {"maxRowz": 7}}"#.utf8))
        }
    }

    @Test func aComputeServiceCarriesThePolicyUnderSluice() throws {
        let options = try JSONDecoder().decode(ComputeOptions.self, from: Data("""
            {"allowRawAlgorithm": true, "sluice": {"outputPolicy": {"bannedColumns": ["patient_id"]}}}
            """.utf8))
        #expect(try options.sluiceOptions()?.outputPolicy?.bannedColumns == ["patient_id"])
        #expect(try ComputeOptions().sluiceOptions() == nil)
        let bad = try JSONDecoder().decode(ComputeOptions.self, from: Data(#"{"sluice": {"outputPolicy": {"maxRows": "x"}}}"#.utf8))
        #expect(throws: SluiceOptionsProblem.self) { try bad.sluiceOptions() }
        let unknown = try JSONDecoder().decode(ComputeOptions.self, from: Data(#"{"sluice": {"outputPolicies": {}}}"#.utf8))
        do {
            _ = try unknown.sluiceOptions()
            Issue.record("an unknown key under sluice is refused")
        } catch let problem as SluiceOptionsProblem {
            #expect(problem.description.contains("outputPolicies"))
        }
        // The key survives encoding, so the DDO a node serves keeps it.
        let again = try JSONDecoder().decode(ComputeOptions.self, from: JSONEncoder().encode(options))
        #expect(again == options)
    }
}
