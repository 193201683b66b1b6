import SluiceCore
import SluiceOutputChecks
import Testing

@Suite("the review of a job's outputs: first broken rule, then the total in order")
struct ReviewTests {
    @Test func eachFileGetsOneDecision() throws {
        let files = try TempFiles()
        let input = randomBytes(10_000, seed: 21)
        let outputs: [(String, [UInt8])] = [
            ("a-model.json", Array("{\"mean\": 0.5}".utf8)),
            ("b-copy.bin", Array(input[100..<300])),
            ("c-table.csv", Array("patient_id,age\n1,40\n".utf8)),
            ("d-counts.csv", Array("group,count\na,3\n".utf8)),
            ("e-plot.png", Array("not a png at all".utf8)),
            ("f-big.txt", [UInt8](repeating: 0x61, count: 2_000)),
            ("g-last.txt", Array("fine".utf8)),
        ]
        let candidates = try outputs.enumerated().map { i, o in
            OutputCandidate(filename: o.0, size: Int64(o.1.count), file: try files.file(o.1, id: i))
        }
        let sources = [InputCandidate(name: "input file 0 of dataset did:op:aa", file: try files.file(input, id: 0))]
        let policy = EffectiveOutputPolicy.builtIn.overridden(by: OutputPolicy(maxFileBytes: 1_000, bannedColumns: ["patient_id"]))
        let decisions = OutputReview.review(outputs: candidates, inputs: sources, policy: policy)
        #expect(decisions.map(\.filename) == outputs.map(\.0))
        #expect(decisions.map(\.rule) == [nil, .verbatimCopy, .bannedColumns, .minCellCount, .typeMismatch, .maxFileBytes, nil])
        #expect(decisions[1].reason == "withheld: it contains 64 or more consecutive bytes copied from input file 0 of dataset did:op:aa")
        #expect(decisions[0].detectedType == .json)
        #expect(decisions[2].detectedType == .csv)
        for d in decisions where !d.released {
            #expect(d.reason?.hasPrefix("withheld: ") == true)
        }
    }

    @Test func theTotalCapReleasesInOrder() throws {
        let files = try TempFiles()
        let sizes = [40, 50, 20, 5]
        let candidates = try sizes.enumerated().map { i, n in
            OutputCandidate(filename: "f\(i).txt", size: Int64(n), file: try files.file([UInt8](repeating: 0x61 + UInt8(i), count: n), id: i))
        }
        let decisions = OutputReview.review(outputs: candidates, inputs: [], policy: EffectiveOutputPolicy(maxTotalBytes: 65))
        #expect(decisions.map(\.released) == [true, false, true, true], "40 + 20 + 5 = 65 fit; 50 more would not")
    }

    @Test func anUnopenedFileIsWithheld() {
        let decisions = OutputReview.review(outputs: [OutputCandidate(filename: "fifo", size: 0, file: nil)], inputs: [],
                                            policy: .builtIn)
        #expect(decisions.first?.rule == .unreadable)
        #expect(decisions.first?.released == false)
    }

    @Test func theVerbatimCheckOffReleasesACopy() throws {
        let files = try TempFiles()
        let input = randomBytes(1_000, seed: 22)
        let decisions = OutputReview.review(
            outputs: [OutputCandidate(filename: "copy", size: 1_000, file: try files.file(input, id: 0))],
            inputs: [InputCandidate(name: "in", file: try files.file(input, id: 0))],
            policy: EffectiveOutputPolicy.builtIn.overridden(by: OutputPolicy(verbatimCheck: false)))
        #expect(decisions.first?.released == true)
    }
}
