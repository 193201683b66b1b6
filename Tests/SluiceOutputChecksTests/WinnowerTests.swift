import SluiceCore
@testable import SluiceOutputChecks
import Testing

/// The fast winnower (candidates below a threshold, stretches without one searched in
/// full) keeps what plain winnowing over the same gram values keeps.
@Suite("the winnower: the same fingerprints as plain winnowing")
struct WinnowerTests {
    /// Plain winnowing: every full window's rightmost minimum, each position once.
    static func plainWinnowing(_ bytes: [UInt8], _ parameters: WinnowingParameters) -> [Int] {
        let k = parameters.gram, w = parameters.grams
        var h: UInt64 = 0, run = 0, last: UInt8 = 0
        var values: [UInt64] = []
        for (i, byte) in bytes.enumerated() {
            h = (h &<< parameters.shift) &+ Winnower.gear[Int(byte)]
            run = (i > 0 && byte == last) ? run + 1 : 1
            last = byte
            if i >= k - 1 { values.append(run >= k ? .max : h) }
        }
        var kept: [Int] = []
        for end in values.indices where end >= w - 1 {
            var best = end - w + 1
            for g in best...end where values[g] <= values[best] { best = g }
            if best != kept.last, values[best] != .max { kept.append(best) }
        }
        return kept
    }

    static func winnowed(_ bytes: [UInt8], _ parameters: WinnowingParameters, feeding chunk: Int) -> [Int] {
        var winnower = Winnower(parameters: parameters)
        var kept: [Int] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            _ = bytes[start..<end].withUnsafeBytes { winnower.feed($0) { _, offset in kept.append(offset); return true } }
            start = end
        }
        return kept
    }

    /// Random bytes with a long run of zeros, a stretch alternating two bytes and one of three.
    static let sample: [UInt8] = {
        var bytes = randomBytes(40_000, seed: 21)
        for i in 5_000..<9_000 { bytes[i] = 0 }
        for i in 12_000..<12_500 { bytes[i] = i % 2 == 0 ? 7 : 9 }
        for i in 20_000..<24_000 { bytes[i] = UInt8(i % 3) }
        return bytes
    }()

    @Test(arguments: [2, 3, 8, 40, 64, 100, 300])
    func keepsEveryFullWindowsMinimumWhateverTheFeedSizes(_ window: Int) {
        let parameters = WinnowingParameters(window: window)
        let plain = Set(Self.plainWinnowing(Self.sample, parameters))
        // Blocks below two grams, of an odd length and of the most a block holds.
        for chunk in [1, 7, 33, 4097, 100_000] {
            let fast = Self.winnowed(Self.sample, parameters, feeding: chunk)
            #expect(plain.isSubset(of: Set(fast)), "K \(window), fed \(chunk) at a time: \(plain.subtracting(fast).sorted().prefix(5)) missing")
            // Beyond those, only minima of the windows cut short at the stream's start.
            let extra = Set(fast).subtracting(plain)
            #expect(extra.allSatisfy { $0 < parameters.grams - 1 }, "K \(window), fed \(chunk): \(extra.sorted().prefix(5)) kept beyond")
            #expect(fast == fast.sorted() && Set(fast).count == fast.count, "each position once, in order")
        }
    }

    /// The block's two hash chains (the second started k bytes before its half) give every
    /// gram the hash one chain gives it, and note the same candidates, in order.
    @Test(arguments: [8, 64, 300])
    func twoHashChainsGiveEveryGramOneChainsHash(_ window: Int) {
        let parameters = WinnowingParameters(window: window)
        let bytes = randomBytes(Winnower.blockBytes, seed: 5)
        for n in [1, 31, 32, 33, 127, 128, 129, 4097, Winnower.blockBytes] {
            let storage = Winnower.Storage(parameters: parameters)
            // A chain already under way, as in a stream's second block.
            storage.hash = 0x0123_4567_89AB_CDEF
            var h = storage.hash
            var expectedHashes: [UInt64] = [], expectedCandidates: [Int32] = []
            for j in 0..<n {
                h = (h &<< parameters.shift) &+ Winnower.gear[Int(bytes[j])]
                expectedHashes.append(h)
                if h < parameters.firstThreshold { expectedCandidates.append(Int32(j)) }
            }
            let found = bytes[0..<n].withUnsafeBytes { storage.hashGrams($0) }
            #expect(Array(storage.hashes[0..<n]) == expectedHashes, "K \(window), \(n) bytes")
            #expect(Array(storage.candidates[0..<found]) == expectedCandidates, "K \(window), \(n) bytes")
            #expect(storage.hash == h, "the chain goes on from the block's last byte")
        }
    }

    @Test func aSideCutForWorkersKeepsEveryKByteStretchInOnePart() {
        let files = [CorpusFile(id: 0, descriptor: -1, size: 10_000), CorpusFile(id: 1, descriptor: -1, size: 0),
                     CorpusFile(id: 2, descriptor: -1, size: 3_001), CorpusFile(id: 3, descriptor: -1, size: 7)]
        for parts in 1...5 {
            let runs = CorpusSegment.split(files, into: parts, overlap: 63)
            #expect(runs.count <= parts && !runs.isEmpty)
            for (index, file) in files.enumerated() where file.size >= 64 {
                let segments = runs.flatMap { $0 }.filter { $0.index == index }
                // Every window of 64 bytes lies whole in one segment.
                for start in stride(from: Int64(0), through: file.size - 64, by: 1) {
                    #expect(segments.contains { $0.from <= start && start + 64 <= $0.to }, "file \(index), \(parts) parts, window at \(start)")
                }
            }
            #expect(!runs.flatMap { $0 }.contains { $0.file.size == 0 })
        }
    }
}
