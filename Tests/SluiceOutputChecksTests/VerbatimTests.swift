import SluiceCore
import SluiceOutputChecks
import Testing

@Suite("verbatim search: K bytes of an input anywhere in an output")
struct VerbatimTests {
    let input = randomBytes(200_000, seed: 1)

    func copies(_ output: [UInt8], window: Int = 64, inputs: [[UInt8]]? = nil) throws -> VerbatimSearch.Findings {
        let files = try TempFiles()
        let sources = try (inputs ?? [input]).enumerated().map { try files.file($0.element, id: $0.offset) }
        let out = try files.file(output, id: 0)
        var search = VerbatimSearch(window: window)
        search.chunk = 4096
        return search.run(inputs: sources, outputs: [out])
    }

    @Test(arguments: [0, 1, 4095, 4096, 123_457, 200_000 - 64])
    func aSliceOfKBytesAnywhereIsFound(_ at: Int) throws {
        // Inside a larger output of other bytes, across chunk ends.
        let output = randomBytes(10_000, seed: 2) + Array(input[at..<(at + 64)]) + randomBytes(10_000, seed: 3)
        #expect(try copies(output).copies[0] == 0)
    }

    @Test func oneByteShortOfKIsNotACopy() throws {
        for at in [0, 777, 150_000] {
            let output = randomBytes(5_000, seed: 4) + Array(input[at..<(at + 63)]) + randomBytes(5_000, seed: 5)
            let found = try copies(output)
            #expect(found.copies.isEmpty && found.undecided.isEmpty, "63 bytes at \(at)")
        }
    }

    @Test func aHundredByteSliceInsideALargerOutputIsFound() throws {
        let output = randomBytes(1_000_000, seed: 6) + Array(input[50_000..<50_100]) + randomBytes(1_000, seed: 7)
        // The output is now larger than the input: the inputs are indexed instead.
        #expect(try copies(output).copies[0] == 0)
    }

    @Test func aWholeCopyIsFound() throws {
        #expect(try copies(input).copies[0] == 0)
    }

    @Test func theSecondInputIsNamed() throws {
        let other = randomBytes(3_000, seed: 8)
        let output = randomBytes(500, seed: 9) + Array(other[1_000..<1_200])
        #expect(try copies(output, inputs: [input, other]).copies[0] == 1)
    }

    @Test func kIsTheOwners() throws {
        let output = randomBytes(2_000, seed: 10) + Array(input[9_000..<9_040]) + randomBytes(2_000, seed: 11)
        #expect(try copies(output, window: 64).copies.isEmpty)
        #expect(try copies(output, window: 40).copies[0] == 0)
        #expect(try copies(output, window: 41).copies.isEmpty)
    }

    @Test func aRunOfOneByteIsNotACopy() throws {
        let padded = randomBytes(1_000, seed: 12) + [UInt8](repeating: 0, count: 4_096) + randomBytes(1_000, seed: 13)
        let output = randomBytes(300, seed: 14) + [UInt8](repeating: 0, count: 1_000) + randomBytes(300, seed: 15)
        #expect(try copies(output, inputs: [padded]).copies.isEmpty)
        // But 40 real bytes next to a run of zeros are, with the run, a copy.
        let edge = Array(padded[960..<1_100])
        #expect(try copies(randomBytes(300, seed: 16) + edge, inputs: [padded]).copies[0] == 0)
    }

    @Test func aModelComputedFromTheInputIsNotACopy() throws {
        let csv = Array((0..<5_000).map { "\($0),\(($0 * 7919) % 1000),\(($0 * 104_729) % 977)\n" }.joined().utf8)
        let model = Array("{\"mean_x\": 2499.5, \"mean_y\": 499.1, \"rows\": 5000}\n".utf8)
        #expect(try copies(model, inputs: [csv]).copies.isEmpty)
        let slice = Array(csv[20_000..<20_100])
        #expect(try copies(model + slice, inputs: [csv]).copies[0] == 0)
    }

    /// Cut among workers, at a size that splits the files (the real cut is 4 MiB a worker).
    @Test(arguments: [2, 3])
    func aSliceIsFoundWhenEachSideIsCutAmongWorkers(_ workers: Int) throws {
        let files = try TempFiles()
        let inputs = try [input, randomBytes(70_001, seed: 30)].enumerated().map { try files.file($0.element, id: $0.offset) }
        // Slices across where the inputs (270,001 bytes) are cut for 2 and for 3 workers.
        for at in [0, 89_971, 134_969, 179_981, 199_936] {
            let output = randomBytes(90_000, seed: 31) + Array(input[at..<(at + 64)]) + randomBytes(90_000, seed: 32)
            var search = VerbatimSearch(window: 64)
            search.chunk = 4096
            search.workers = workers
            search.bytesPerWorker = 1_000
            // Outputs larger than the inputs are indexed inputs-first; smaller ones the other way round.
            for shape in [output, Array(output[89_000..<91_100])] {
                let found = search.run(inputs: inputs, outputs: [try files.file(shape, id: 0)])
                #expect(found.copies[0] == 0 && found.undecided.isEmpty, "\(workers) workers, slice at \(at), output of \(shape.count)")
            }
            let clean = search.run(inputs: inputs, outputs: [try files.file(randomBytes(180_000, seed: 33), id: 0)])
            #expect(clean.copies.isEmpty && clean.undecided.isEmpty)
        }
    }

    @Test func theWinnowerKeepsFewPositions() {
        let parameters = WinnowingParameters(window: 64)
        var winnower = Winnower(parameters: parameters)
        var kept = 0
        _ = input.withUnsafeBytes { bytes in winnower.feed(bytes) { _, _ in kept += 1; return true } }
        let density = Double(kept) / Double(input.count)
        #expect(density > 0.5 / Double(parameters.grams + 1) && density < 4.0 / Double(parameters.grams + 1), "\(density)")
    }
}
