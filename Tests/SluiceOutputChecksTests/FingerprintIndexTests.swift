import Dispatch
@testable import SluiceOutputChecks
import Testing

/// The verbatim check's index: what goes in is found, within its limits, however its
/// inserts are spread over partitions and threads.
@Suite("the fingerprint index: partitions, probes and limits")
struct FingerprintIndexTests {
    /// Inserts `fingerprints` (offsets `offsets`) as one batch.
    static func insert(_ index: FingerprintIndex, _ fingerprints: [UInt64], _ offsets: [Int], base: Int64 = 0) {
        fingerprints.withUnsafeBufferPointer { f in
            offsets.withUnsafeBufferPointer { o in index.insert(Winnower.Batch(fingerprints: f, offsets: o), base: base) }
        }
    }

    /// Every offset the index holds for each of `fingerprints`.
    static func lookUp(_ index: FingerprintIndex, _ fingerprints: [UInt64]) -> [[Int64]] {
        var found = [[Int64]](repeating: [], count: fingerprints.count)
        let offsets = [Int](repeating: 0, count: fingerprints.count)
        fingerprints.withUnsafeBufferPointer { f in
            offsets.withUnsafeBufferPointer { o in
                _ = index.lookUp(Winnower.Batch(fingerprints: f, offsets: o)) { i, offset in
                    found[i].append(offset)
                    return true
                }
            }
        }
        return found
    }

    static func randomFingerprints(_ count: Int, seed: UInt64) -> [UInt64] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            return Winnower.mix(state)
        }
    }

    @Test func whatIsInsertedIsFoundAcrossPartitionsAndThreads() {
        let index = FingerprintIndex(expected: 200_000)
        #expect(index.partitionCount > 1)
        let fingerprints = Self.randomFingerprints(200_000, seed: 1)
        // Four threads, each its own share in batches of 300, as the search's workers do.
        let shares = 4, share = fingerprints.count / shares
        DispatchQueue.concurrentPerform(iterations: shares) { s in
            var at = s * share
            while at < (s + 1) * share {
                let end = min(at + 300, (s + 1) * share)
                Self.insert(index, Array(fingerprints[at..<end]), Array(at..<end))
                at = end
            }
        }
        #expect(index.count == fingerprints.count)
        #expect(index.dropped == 0)
        let found = Self.lookUp(index, fingerprints)
        #expect(found.indices.allSatisfy { found[$0].contains(Int64($0)) })
        // Fingerprints never inserted find nothing, but for a rare tag collision.
        let strangers = Self.lookUp(index, Self.randomFingerprints(10_000, seed: 2))
        #expect(strangers.filter { !$0.isEmpty }.count <= 3)
    }

    @Test func aProbePastItsPartitionsEndWrapsToItsStart() throws {
        let index = FingerprintIndex(expected: 200_000)
        let buckets = index.partitionSlots / FingerprintIndex.bucketSlots
        // Fingerprints whose home is the last bucket of the second partition: more of them
        // than two buckets hold, so the probe goes round to the partition's first bucket.
        try #require(index.partitionCount > 2)
        var lastBucket: [UInt64] = []
        for (i, candidate) in Self.randomFingerprints(5_000_000, seed: 3).enumerated() {
            let place = FingerprintIndex.place(candidate, partitions: index.partitionCount, partitionSlots: index.partitionSlots)
            if place.partition == 1, place.home == index.partitionSlots + (buckets - 1) * FingerprintIndex.bucketSlots {
                lastBucket.append(candidate ^ (UInt64(i) << 40))
            }
            if lastBucket.count == 20 { break }
        }
        try #require(lastBucket.count == 20)
        Self.insert(index, lastBucket, Array(0..<20))
        let found = Self.lookUp(index, lastBucket)
        #expect((0..<20).allSatisfy { found[$0].contains(Int64($0)) })
        #expect(index.count == 20)
        // The twelve that did not fit in the last bucket went on at the partition's first
        // bucket, not the next partition's.
        let first = index.partitionSlots, next = 2 * index.partitionSlots
        #expect((first..<(first + 12)).allSatisfy { index.slots[$0] != 0 })
        #expect(index.slots[first + 12] == 0)
        #expect(index.slots[next] == 0)
    }

    @Test func aFingerprintRepeatedOftenIsKeptAtMostEightTimes() {
        let index = FingerprintIndex(expected: 1_000)
        let repeated = [UInt64](repeating: 0xDEAD_BEEF_0123_4567, count: 20)
        Self.insert(index, repeated, Array(0..<20), base: 1_000)
        let found = Self.lookUp(index, [repeated[0]])
        #expect(found[0].sorted() == (1_000..<(1_000 + Int64(FingerprintIndex.maxPerFingerprint))).map { $0 })
        // The same entry twice is kept once.
        Self.insert(index, [7], [5])
        Self.insert(index, [7], [5])
        #expect(Self.lookUp(index, [7])[0] == [5])
    }

    @Test func aFullIndexSaysItDroppedEntries() {
        let index = FingerprintIndex(expected: 10)
        #expect(index.partitionCount == 1)
        let fingerprints = Self.randomFingerprints(2_000, seed: 4)
        Self.insert(index, fingerprints, Array(0..<2_000))
        #expect(index.dropped > 0)
        #expect(index.count + index.dropped == 2_000)
        #expect(index.count <= index.partitionSlots * 8 / 10)
    }

    @Test func anOffsetOutOfRangeIsDroppedNotStored() {
        let index = FingerprintIndex(expected: 100)
        Self.insert(index, [42], [-5])
        #expect(index.dropped == 1)
        #expect(Self.lookUp(index, [42])[0].isEmpty)
    }
}
