import Foundation
import SluiceCore
import Testing
@testable import SluiceEngine

@Suite("Algorithms that should work")
struct AlgorithmTests {
    @Test(arguments: TestBackend.configured) func pythonReadsItsInputAndWritesAnOutput(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend) { h in
            let name = try #require(Workspace.directoryName(of: EngineHarness.datasetDID))
            let status = try await h.run(h.python("""
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

    @Test(arguments: TestBackend.configured) func pythonReadsAlgoCustomData(_ backend: TestBackend) async throws {
        try await EngineHarness.with(on: backend) { h in
            let status = try await h.run(h.python("""
                import json
                data = json.load(open("/data/inputs/algoCustomData.json"))
                open("/data/outputs/answer.txt", "w").write(data["question"] + "=" + str(data["answer"]))
                """, customData: .object(["question": .string("six times seven"), "answer": .integer(42)])))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            #expect(h.output(status.jobId, "answer.txt") == "six times seven=42")
        }
    }

    @Test(arguments: TestBackend.configured) func theAlgorithmSeesOnlyTheContractsVariables(_ backend: TestBackend) async throws {
        setenv("SLUICE_NODE_SECRET_CANARY", "do-not-leak", 1)
        try await EngineHarness.with(on: backend) { h in
            let status = try await h.run(h.python("""
                import os
                open("/data/outputs/env.txt", "w").write("\\n".join(sorted(os.environ.keys())))
                open("/data/outputs/values.txt", "w").write(os.environ["VOLUME"] + " " + os.environ["ALGO"] + " " + os.environ["TRANSFORMATION_DID"] + "|")
                """))
            #expect(status.status == 70, "\(status.error ?? "")\n\(h.algorithmLog(status.jobId))")
            let names = Set((h.output(status.jobId, "env.txt") ?? "").split(separator: "\n").map(String.init))
            // LC_CTYPE may be added by Python itself; PWD comes from bwrap's --chdir; a
            // container engine adds HOSTNAME (and podman `container`, and TERM). Nothing
            // of the node's environment may appear.
            let contract: Set = ["DIDS", "TRANSFORMATION_DID", "VOLUME", "INPUTS", "OUTPUTS", "LOGS", "ALGO", "PATH", "HOME"]
            let engineAdded: Set<String> = backend != .podman ? ["PWD", "LC_CTYPE"] : ["HOSTNAME", "container", "TERM", "LC_CTYPE"]
            #expect(names.isSuperset(of: contract), "\(names)")
            #expect(names.subtracting(contract).isSubset(of: engineAdded), "\(names)")
            #expect(!names.contains("SLUICE_NODE_SECRET_CANARY"))
            #expect(h.output(status.jobId, "values.txt") == "/data /data/transformations/algorithm |")
        }
    }

    @Test(arguments: TestBackend.configured) func anAlgorithmFileIsFetchedOverHTTP(_ backend: TestBackend) async throws {
        let server = try TestServer.http(body: Array("open('/data/outputs/ok.txt','w').write('fetched')\n".utf8))
        defer { server.stop() }
        try await EngineHarness.with(on: backend) { h in
            let status = try await h.run(h.spec(.file(.url(server.url)), entrypoint: "python3 $ALGO"))
            #expect(status.status == 70, "\(status.error ?? "")")
            #expect(h.output(status.jobId, "ok.txt") == "fetched")
        }
    }
}
