import Foundation
import SluiceCore
import SluiceStore
import Testing
@testable import SluiceEngine

/// Status 50 with real algorithms in bubblewrap: what an algorithm writes is checked
/// against the dataset's policy before any of it is a result.
@Suite("Output checks at status 50")
struct OutputCheckTests {
    /// A dataset of 4,000 rows of varied numbers (about 60 KB), on the node.
    static func dataset() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-output-check-input-\(UUID().uuidString).csv").path
        var text = "id,height,weight,code\n"
        var state: UInt64 = 42
        for i in 0..<4_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            text += "\(i),\(150 + state >> 58),\(40 + (state >> 40) % 80),\(String(state >> 20, radix: 36))\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func inputs(_ path: String, policy: OutputPolicy? = nil) -> [JobInput] {
        [JobInput(did: EngineHarness.datasetDID, files: [.path(path)], ddo: .object(["id": .string(EngineHarness.datasetDID)]),
                  outputPolicy: policy)]
    }

    static let readInput = """
        import os, json
        did = json.loads(os.environ["DIDS"])[0]
        data = open(f"/data/inputs/{did}/0", "rb").read()
        out = "/data/outputs/"

        """

    func decisions(_ status: JobStatus) -> [String: OutputDecision] {
        Dictionary((status.outputChecks?.decisions ?? []).map { ($0.filename, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func released(_ status: JobStatus) -> [String] {
        status.results.filter { $0.type == .output }.map(\.filename)
    }

    @Test func anAlgorithmCopyingItsInputIsWithheld() async throws {
        let path = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.python(Self.readInput + """
                open(out + "copy.csv", "wb").write(data)
                """, inputs: Self.inputs(path)))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            #expect(status.terminationReason == "outputWithheld")
            #expect(status.error?.contains("withheld every output") == true)
            #expect(released(status).isEmpty)
            let copy = try #require(decisions(status)["copy.csv"])
            #expect(copy.rule == .verbatimCopy)
            #expect(copy.reason == "withheld: it contains 64 or more consecutive bytes copied from input file 0 of dataset \(EngineHarness.datasetDID)")
            // The logs stay results; the withheld file cannot be opened by any index.
            #expect(status.results.map(\.filename) == ["algorithm.log", "configure.log", "publish.log"])
            for file in status.results {
                let opened = try #require(try await h.engine.openResult(jobId: status.jobId, index: file.index))
                #expect(opened.file.type != .output)
            }
            let log = try String(contentsOf: h.workspace(status.jobId).publishLog, encoding: .utf8)
            #expect(log.contains("copy.csv") && log.contains("withheld: it contains 64"))
            // Recorded: the stored record has the decisions, so they survive a restart.
            let stored = try #require(try await h.store.job(id: status.jobId))
            #expect(stored.outputChecks?.decisions.map(\.rule) == [.verbatimCopy])
            #expect(stored.terminationReason == .outputWithheld)
            let transitions = try await h.engine.transitions(of: status.jobId).map(\.status.rawValue)
            #expect(transitions == [1, 10, 20, 30, 40, 50, 60, 70])
        }
    }

    @Test func aSliceInsideALargerOutputIsWithheldAndAModelIsReleased() async throws {
        let path = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.python(Self.readInput + """
                import random
                rows = [r.split(",") for r in data.decode().splitlines()[1:]]
                mean = sum(int(r[1]) for r in rows) / len(rows)
                open(out + "model.json", "w").write(json.dumps({"mean_height": mean, "rows": len(rows)}))
                random.seed(7)
                noise = bytes(random.randrange(256) for _ in range(20000))
                open(out + "report.bin", "wb").write(noise[:10000] + data[30000:30100] + noise[10000:])
                open(out + "short.bin", "wb").write(noise[:5000] + data[30000:30063] + noise[5000:])
                """, inputs: Self.inputs(path)))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            #expect(status.terminationReason == "completed")
            #expect(released(status) == ["model.json", "short.bin"], "63 bytes are not a copy of 64")
            #expect(decisions(status)["report.bin"]?.rule == .verbatimCopy)
            #expect(decisions(status)["model.json"]?.detectedType == .json)
            #expect(status.results.map(\.index) == Array(0..<status.results.count), "results are numbered without gaps")
            let model = try #require(try await h.engine.openResult(jobId: status.jobId, index: 0))
            #expect(model.file.filename == "model.json")
        }
    }

    @Test func theOwnerMayTurnTheVerbatimCheckOff() async throws {
        let path = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.python(Self.readInput + """
                open(out + "copy.csv", "wb").write(data)
                """, inputs: Self.inputs(path, policy: OutputPolicy(verbatimCheck: false))))
            #expect(status.terminationReason == "completed", "\(status.error ?? "")")
            #expect(released(status) == ["copy.csv"])
        }
    }

    @Test func sizeCapsOnEachSide() async throws {
        let policy = OutputPolicy(maxFileBytes: 1_000, maxTotalBytes: 1_600)
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.python("""
                for name, n in [("a.txt", 1000), ("b.txt", 1001), ("c.txt", 600), ("d.txt", 1)]:
                    open("/data/outputs/" + name, "w").write("x" * n)
                """, inputs: Self.inputs(Fixtures.smallInput(), policy: policy)))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            #expect(released(status) == ["a.txt", "c.txt"], "1000 + 600 fill the 1600 allowed")
            #expect(decisions(status)["b.txt"]?.rule == .maxFileBytes)
            #expect(decisions(status)["d.txt"]?.rule == .maxTotalBytes)
        }
    }

    @Test func typesAreJudgedByContent() async throws {
        let policy = OutputPolicy(allowedTypes: [.csv, .json])
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.python("""
                png = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + bytes(64)
                open("/data/outputs/table.csv", "w").write("a,b\\n1,2\\n")
                open("/data/outputs/summary.json", "w").write('{"ok": true}')
                open("/data/outputs/disguised.csv", "wb").write(png)
                open("/data/outputs/notes.txt", "w").write("plain words")
                open("/data/outputs/table.txt", "w").write("a,b\\n1,2\\n")
                """, inputs: Self.inputs(Fixtures.smallInput(), policy: policy)))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            #expect(released(status) == ["summary.json", "table.csv", "table.txt"], "a table named .txt is still a CSV")
            #expect(decisions(status)["disguised.csv"]?.rule == .allowedTypes)
            #expect(decisions(status)["disguised.csv"]?.detectedType == .png)
            #expect(decisions(status)["notes.txt"]?.rule == .allowedTypes)
        }
    }

    @Test func tablesRowsBannedColumnsAndSmallCellsOnEachSide() async throws {
        let policy = OutputPolicy(maxRows: 3, bannedColumns: ["patient_id"])
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.python("""
                def table(name, header, rows):
                    open("/data/outputs/" + name, "w").write("\\n".join([header] + rows) + "\\n")
                table("rows3.csv", "a,b", ["1,2"] * 3)
                table("rows4.csv", "a,b", ["1,2"] * 4)
                table("banned.csv", "Patient_ID,age", ["1,40"])
                table("allowed.csv", "patient,age", ["1,40"])
                table("counts10.csv", "group,count", ["a,10", "b,12"])
                table("counts9.csv", "group,count", ["a,10", "b,9"])
                table("counts9.tsv", "group\\tn", ["a\\t9"])
                """, inputs: Self.inputs(Fixtures.smallInput(), policy: policy)))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            #expect(released(status) == ["allowed.csv", "counts10.csv", "rows3.csv"])
            #expect(decisions(status)["rows4.csv"]?.rule == .maxRows)
            #expect(decisions(status)["banned.csv"]?.rule == .bannedColumns)
            #expect(decisions(status)["counts9.csv"]?.rule == .minCellCount)
            #expect(decisions(status)["counts9.tsv"]?.rule == .minCellCount)
        }
    }

    @Test func theStrictestPolicyOfTheDatasetsAndTheNodesDefaultApply() async throws {
        let second = "did:op:" + String(repeating: "ab", count: 32)
        let inputs = Self.inputs(Fixtures.smallInput(), policy: OutputPolicy(maxFileBytes: 500))
            + [JobInput(did: second, files: [.path(Fixtures.smallInput())], outputPolicy: OutputPolicy(maxRows: 1))]
        try await EngineHarness.with(engineConfiguration: {
            $0.outputPolicy = EffectiveOutputPolicy.builtIn.overridden(by: OutputPolicy(bannedColumns: ["secret"]))
        }) { h in
            let status = try await h.run(EngineHarness.python("""
                open("/data/outputs/big.txt", "w").write("y" * 501)
                open("/data/outputs/two.csv", "w").write("a,b\\n1,2\\n3,4\\n")
                open("/data/outputs/secret.csv", "w").write("secret,b\\n1,2\\n")
                open("/data/outputs/ok.csv", "w").write("a,b\\n1,2\\n")
                """, inputs: inputs))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            #expect(released(status) == ["ok.csv"])
            #expect(decisions(status)["big.txt"]?.rule == .maxFileBytes)
            #expect(decisions(status)["two.csv"]?.rule == .maxRows)
            #expect(decisions(status)["secret.csv"]?.rule == .bannedColumns)
            #expect(status.outputChecks?.policy.maxFileBytes == 500)
            #expect(status.outputChecks?.policy.maxRows == 1)
        }
    }

    @Test func hostileOutputsNeitherHangNorCrashTheChecks() async throws {
        let path = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.python(Self.readInput + """
                did_dir = f"/data/inputs/{did}/0"
                os.mkfifo(out + "pipe")
                os.symlink(did_dir, out + "link")
                d = out
                for i in range(80):
                    d = d + "d/"
                    os.mkdir(d)
                open(d + "deep.csv", "wb").write(data)
                open(out + "empty.csv", "w").close()
                open(out + "weird \\u00e9 name.txt", "w").write("fine")
                """, inputs: Self.inputs(path)))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            let names = Set(status.outputChecks?.decisions.map(\.filename) ?? [])
            #expect(!names.contains("pipe") && !names.contains("link"), "only regular files are outputs")
            #expect(released(status).sorted() == ["empty.csv", "weird \u{e9} name.txt"])
        }
    }

    @Test func filesPastTheNumberTheNodeChecksAreWithheld() async throws {
        try await EngineHarness.with { h in
            let count = OutputGate.maxOutputFiles + 2
            let status = try await h.run(EngineHarness.python("""
                for i in range(\(count)):
                    open("/data/outputs/f%05d.txt" % i, "w").write("x")
                """))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            #expect(released(status).count == OutputGate.maxOutputFiles)
            let held = status.outputChecks?.withheld ?? []
            #expect(held.map(\.filename) == [String(format: "f%05d.txt", count - 2), String(format: "f%05d.txt", count - 1)])
            #expect(held.allSatisfy { $0.rule == .tooManyFiles })
        }
    }
}
