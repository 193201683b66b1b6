import Foundation
import SluiceCore
import Testing
@testable import SluiceEngine

@Suite("Algorithms that should work")
struct AlgorithmTests {
    @Test func pythonReadsItsInputAndWritesAnOutput() async throws {
        try await EngineHarness.with { h in
            let name = try #require(Workspace.directoryName(of: EngineHarness.datasetDID))
            let status = try await h.run(EngineHarness.python("""
                import os, json
                dids = json.loads(os.environ["DIDS"])
                rows = open(f"/data/inputs/{dids[0]}/0").read().splitlines()
                total = sum(int(a) + int(b) for a, b in (r.split(",") for r in rows[1:]))
                open("/data/outputs/sum.txt", "w").write(str(total))
                ddo = json.load(open(f"/data/ddos/{dids[0]}"))
                print("ddo", ddo["id"])
                """))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            #expect(status.terminationReason == "completed")
            #expect(status.exitCode == 0)
            #expect(status.dateFinished != nil)
            #expect(h.output(status.jobId, "sum.txt") == "10")
            #expect(h.algorithmLog(status.jobId).contains("ddo \(EngineHarness.datasetDID)"))
            #expect(name.count == 64)
        }
    }

    @Test func pythonReadsAlgoCustomData() async throws {
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.python("""
                import json
                data = json.load(open("/data/inputs/algoCustomData.json"))
                open("/data/outputs/answer.txt", "w").write(data["question"] + "=" + str(data["answer"]))
                """, customData: .object(["question": .string("six times seven"), "answer": .integer(42)])))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            #expect(h.output(status.jobId, "answer.txt") == "six times seven=42")
        }
    }

    @Test func theAlgorithmSeesOnlyTheContractsVariables() async throws {
        setenv("SLUICE_NODE_SECRET_CANARY", "do-not-leak", 1)
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.python("""
                import os
                open("/data/outputs/env.txt", "w").write("\\n".join(sorted(os.environ.keys())))
                open("/data/outputs/values.txt", "w").write(os.environ["VOLUME"] + " " + os.environ["ALGO"] + " " + os.environ["TRANSFORMATION_DID"] + "|")
                """))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            let names = Set((h.output(status.jobId, "env.txt") ?? "").split(separator: "\n").map(String.init))
            // PWD comes from bwrap's --chdir and LC_CTYPE may be added by Python itself;
            // nothing of the node's environment may appear.
            let expected: Set = ["DIDS", "TRANSFORMATION_DID", "VOLUME", "INPUTS", "OUTPUTS", "LOGS", "ALGO", "PATH", "HOME", "PWD"]
            #expect(names.subtracting(["LC_CTYPE"]) == expected)
            #expect(h.output(status.jobId, "values.txt") == "/data /data/transformations/algorithm |")
        }
    }

    @Test func anAlgorithmFileIsFetchedOverHTTP() async throws {
        let server = try TestServer.http(body: Array("open('/data/outputs/ok.txt','w').write('fetched')\n".utf8))
        defer { server.stop() }
        try await EngineHarness.with { h in
            let status = try await h.run(EngineHarness.spec(.file(.url(server.url)), entrypoint: "python3 $ALGO", image: "python", tag: "3.11"))
            #expect(status.status == 70, "\(status.error ?? "")")
            #expect(h.output(status.jobId, "ok.txt") == "fetched")
        }
    }
}
