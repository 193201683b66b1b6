import Foundation
import SluiceCore
import SluiceCrypto
import SluiceOutputChecks

/// The output checks of status 50 (types, tables, and the verbatim search with K = 64)
/// on `mebibytes` of inputs and as many of outputs, beside one SHA-256 pass over the
/// same bytes in the same run. Goal: the checks take at most 3 times the hashing.
enum OutputChecksBench {
    static func run(mebibytes: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-output-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("input")
        let output = dir.appendingPathComponent("output.bin")
        let bytes = mebibytes << 20
        // Different pseudo-random streams, and 100 bytes of the input planted near the end of the output.
        try write(input, bytes: bytes, seed: 1, plant: nil)
        let slice = Array(try readSlice(input, at: Int64(bytes / 2), count: 100))
        try write(output, bytes: bytes, seed: 2, plant: slice)

        let inFD = open(input.path, O_RDONLY), outFD = open(output.path, O_RDONLY)
        defer { close(inFD); close(outFD) }
        let inputFile = CorpusFile(id: 0, descriptor: inFD, size: Int64(bytes))
        let outputFile = CorpusFile(id: 0, descriptor: outFD, size: Int64(bytes))
        // Warm the page cache for both, so both timings read from memory.
        _ = hash([input, output])

        let hashStart = ContinuousClock.now
        _ = hash([input, output])
        let hashTime = ContinuousClock.now - hashStart

        let checkStart = ContinuousClock.now
        let decisions = OutputReview.review(
            outputs: [OutputCandidate(filename: "output.bin", size: Int64(bytes), file: outputFile)],
            inputs: [InputCandidate(name: "input", file: inputFile)], policy: .builtIn)
        let checkTime = ContinuousClock.now - checkStart

        // Where the time goes: one winnowing pass over the input alone, and the search alone.
        let winnowStart = ContinuousClock.now
        var winnower = Winnower(parameters: WinnowingParameters(window: 64))
        var kept = 0
        _ = inputFile.stream(chunk: 1 << 20) { bytes in winnower.feed(bytes) { _, _ in kept += 1; return true } }
        let winnowTime = ContinuousClock.now - winnowStart
        let search = VerbatimSearch(window: 64)
        let searchStart = ContinuousClock.now
        _ = search.run(inputs: [inputFile], outputs: [outputFile])
        let searchTime = ContinuousClock.now - searchStart
        print("output-checks/parts: winnowing the input alone on one thread \(format(winnowTime)) (\(kept) fingerprints kept), verbatim search alone on \(search.workers) threads \(format(searchTime))")

        let ratio = checkTime / hashTime
        print("output-checks/\(mebibytes) MiB in + \(mebibytes) MiB out: checks \(format(checkTime)), sha256 of the same bytes \(format(hashTime)), ratio \(String(format: "%.2f", ratio)) (goal: at most 3)")
        print("output-checks/verdict: \(decisions.first?.reason ?? "released") (expected: withheld as a copy)")
    }

    static func write(_ url: URL, bytes: Int, seed: UInt64, plant: [UInt8]?) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var written = 0
        while written < bytes {
            let n = min(chunk.count, bytes - written)
            chunk.withUnsafeMutableBytes { raw in
                let words = raw.bindMemory(to: UInt64.self)
                for i in 0..<(n / 8) {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    words[i] = state ^ (state >> 29)
                }
            }
            if let plant, written + n >= bytes, n > plant.count + 1000 {
                chunk.replaceSubrange((n - plant.count - 1000)..<(n - 1000), with: plant)
            }
            try handle.write(contentsOf: chunk[0..<n])
            written += n
        }
    }

    static func readSlice(_ url: URL, at offset: Int64, count: Int) throws -> Data {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        return try handle.read(upToCount: count) ?? Data()
    }

    static func hash(_ urls: [URL]) -> String {
        var digest = ""
        for url in urls {
            var hasher = StreamingSHA256()
            let fd = open(url.path, O_RDONLY)
            defer { close(fd) }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let n = read(fd, buffer.baseAddress, buffer.count)
                if n <= 0 { break }
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            }
            digest += hasher.hexDigest()
        }
        return digest
    }

    static func format(_ d: Duration) -> String {
        String(format: "%.2f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}
