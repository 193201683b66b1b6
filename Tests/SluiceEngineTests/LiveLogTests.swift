import Foundation
import SluiceCore
import Testing
@testable import SluiceEngine

/// Live logs: a job's `algorithm.log` read as it grows, with a real algorithm in bubblewrap.
@Suite("Live logs")
struct LiveLogTests {
    @Test func aFollowerSeesEachLineBeforeTheJobEndsInOrderAndComplete() async throws {
        try await EngineHarness.with { h in
            let submitted = try await h.engine.submit(EngineHarness.python("""
                import time
                for i in range(30):
                    print("line %d" % i, flush=True)
                    time.sleep(0.1)
                """))
            let log = try #require(try await h.engine.liveLog(of: submitted.jobId))
            var text = ""
            var chunksWhileRunning = 0
            while let chunk = await log.next() {
                text += String(decoding: chunk, as: UTF8.self)
                let status = try #require(try await h.engine.job(id: submitted.jobId))
                if status.status <= JobStatusCode.runningAlgorithm.rawValue { chunksWhileRunning += 1 }
            }
            #expect(chunksWhileRunning >= 1, "at least one chunk arrived before the algorithm ended")
            #expect(text == (0..<30).map { "line \($0)\n" }.joined(), "in order and complete")
            let done = try #require(try await h.engine.waitUntilFinished(id: submitted.jobId))
            #expect(done.status == 70)
            #expect(await log.next() == nil, "the follower ends with the job")
        }
    }

    @Test func aFinishedJobsLogIsReadWholeAndEnds() async throws {
        try await EngineHarness.with { h in
            let done = try await h.run(EngineHarness.python("print('only line')"))
            let log = try #require(try await h.engine.liveLog(of: done.jobId))
            var text = ""
            while let chunk = await log.next() { text += String(decoding: chunk, as: UTF8.self) }
            #expect(text == "only line\n")
            #expect(try await h.engine.liveLog(of: String(repeating: "0", count: 32)) == nil)
        }
    }
}
