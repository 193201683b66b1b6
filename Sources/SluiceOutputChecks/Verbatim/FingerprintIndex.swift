import CPrefetch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The kept fingerprints of one side of the verbatim check, each with where its gram is
/// (an offset into that side's files laid end to end). Open addressing over one flat
/// array of 8-byte entries: a 24-bit tag of the fingerprint and the offset plus one.
/// A fingerprint is kept at most `maxPerFingerprint` times (a gram repeated more often
/// is checked against its first occurrences).
///
/// Why it is fast: the table is far larger than the caches, so each fingerprint costs a
/// read from memory. A probe starts at the first slot of a cache line (its bucket), so
/// one read brings all the slots it usually looks at; and while a batch (a block's worth
/// of fingerprints) is probed, the buckets of the fingerprint `prefetchDistance` ahead are
/// asked for, so many of those reads are in flight at once.
///
/// The table is cut into partitions, each a table of its own with its own lock (a probe
/// wraps around within its partition), so several workers insert at once and rarely wait
/// for each other. Lookups take no lock: they may only start once every insert is done.
public final class FingerprintIndex: @unchecked Sendable {
    let slots: UnsafeMutablePointer<UInt64>
    /// The memory mapped for the table (nil when there is none), to unmap it.
    private let mapping: (base: UnsafeMutableRawPointer, bytes: Int)?
    let partitionCount: Int
    let partitionSlots: Int
    /// Per partition: its entries and those refused because it was full.
    private let partitions: [Partition]

    final class Partition: Sendable {
        let state = Mutex(PartitionState())
    }

    struct PartitionState {
        var count = 0
        var dropped = 0
    }

    public static let maxPerFingerprint = 8
    static let offsetBits: UInt64 = 40
    static let offsetMask: UInt64 = (1 << offsetBits) - 1
    /// Slots per bucket: one cache line.
    static let bucketSlots = 8
    /// Partitions are at least this many slots, so random fingerprints fill them evenly.
    static let minPartitionSlots = 1 << 16
    static let maxPartitions = 16
    static let hugePage = 2 << 20

    /// Room for `expected` entries at a load of 0.6, and for a third more before it is full.
    public init(expected: Int) {
        let wanted = min(max(1024, expected * 5 / 3), Int(UInt32.max))
        let count = max(1, min(Self.maxPartitions, wanted / Self.minPartitionSlots))
        let perPartition = (wanted / count + Self.bucketSlots - 1) / Self.bucketSlots * Self.bucketSlots
        let bytes = count * perPartition * MemoryLayout<UInt64>.stride
        // Mapped, so the pages come zeroed as the workers first touch them; aligned to a
        // huge page, which spares a page walk on most reads (the kernel may decline).
        let mapped = bytes + Self.hugePage
        let base = mmap(nil, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        if let base, base != MAP_FAILED {
            let aligned = UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: base) + Self.hugePage - 1) & ~(Self.hugePage - 1)) ?? base
            _ = madvise(aligned, bytes, Int32(MADV_HUGEPAGE))
            slots = aligned.bindMemory(to: UInt64.self, capacity: count * perPartition)
            mapping = (base, mapped)
            partitionCount = count
            partitionSlots = perPartition
        } else {
            // No memory for the table: every insert is dropped, so the search says undecided.
            slots = .allocate(capacity: 1)
            slots.initialize(to: 0)
            mapping = nil
            partitionCount = 1
            partitionSlots = 0
        }
        partitions = (0..<partitionCount).map { _ in Partition() }
    }

    deinit {
        if let mapping { munmap(mapping.base, mapping.bytes) } else { slots.deallocate() }
    }

    /// Entries in the index.
    public var count: Int { partitions.reduce(0) { $0 + $1.state.withLock { $0.count } } }
    /// Entries refused because their partition was full (or the table's memory could
    /// not be had); when any, a lookup may miss.
    public var dropped: Int { partitions.reduce(0) { $0 + $1.state.withLock { $0.dropped } } }

    /// How many entries `bytes` of input are expected to give with these parameters.
    public static func expectedEntries(bytes: Int64, parameters: WinnowingParameters) -> Int {
        Int(min(bytes * 2 / Int64(parameters.grams + 1) + 64, 1 << 34))
    }

    @inline(__always) static func tag(_ fingerprint: UInt64) -> UInt64 { (fingerprint >> offsetBits) | 1 }

    /// Where a fingerprint lives: its partition, its home slot (the first of a bucket)
    /// and the first slot of the bucket after it in the partition (where a probe goes on),
    /// all from its low 32 bits (the tag is from its high ones).
    @inline(__always) static func place(_ fingerprint: UInt64, partitions: Int, partitionSlots: Int) -> (partition: Int, home: Int, next: Int) {
        let buckets = partitionSlots / bucketSlots
        let scaled = UInt64(UInt32(truncatingIfNeeded: fingerprint)) &* UInt64(partitions)
        let partition = Int(truncatingIfNeeded: scaled >> 32)
        let bucket = Int(truncatingIfNeeded: ((scaled & 0xFFFF_FFFF) &* UInt64(buckets)) >> 32)
        let following = bucket &+ 1 == buckets ? 0 : bucket &+ 1
        let start = partition &* partitionSlots
        return (partition, start &+ bucket &* bucketSlots, start &+ following &* bucketSlots)
    }

    /// How many fingerprints ahead of the one being probed the index asks for buckets:
    /// enough reads in flight to hide memory's latency, few enough that the CPU keeps them all.
    static let prefetchDistance = 16

    /// Asks for the home bucket of a fingerprint and the bucket after it (where a probe goes on).
    @inline(__always) private static func prefetch(_ slots: UnsafeMutablePointer<UInt64>, _ places: Places, _ i: Int) {
        sluice_prefetch(slots + places.homes[i])
        sluice_prefetch(slots + places.nexts[i])
    }

    /// The places of a batch's fingerprints, in scratch space: each one's partition, home
    /// and next bucket.
    private struct Places {
        let partitions: UnsafeMutableBufferPointer<Int>
        let homes: UnsafeMutableBufferPointer<Int>
        let nexts: UnsafeMutableBufferPointer<Int>
    }

    private func withPlaces<R>(_ batch: Winnower.Batch, _ body: (Places) -> R) -> R {
        let n = batch.count, parts = partitionCount, perPartition = partitionSlots
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * n) { scratch in
            let places = Places(partitions: UnsafeMutableBufferPointer(rebasing: scratch[0..<n]),
                                homes: UnsafeMutableBufferPointer(rebasing: scratch[n..<(2 * n)]),
                                nexts: UnsafeMutableBufferPointer(rebasing: scratch[(2 * n)...]))
            for i in 0..<n {
                let place = Self.place(batch.fingerprints[i], partitions: parts, partitionSlots: perPartition)
                places.partitions[i] = place.partition
                places.homes[i] = place.home
                places.nexts[i] = place.next
            }
            return body(places)
        }
    }

    /// Adds the batch's fingerprints, their offsets moved by `base`: grouped by partition,
    /// each group under its partition's lock.
    public func insert(_ batch: Winnower.Batch, base: Int64) {
        let n = batch.count
        guard n > 0 else { return }
        guard partitionSlots > 0 else {
            partitions[0].state.withLock { $0.dropped += n }
            return
        }
        let parts = partitionCount, slots = self.slots
        withPlaces(batch) { places in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: n + 2 * parts + 1) { scratch in
                // A counting sort of the batch by partition: `order` lists the batch's
                // positions partition by partition.
                let starts = UnsafeMutableBufferPointer(rebasing: scratch[0..<(parts + 1)])
                let next = UnsafeMutableBufferPointer(rebasing: scratch[(parts + 1)..<(2 * parts + 1)])
                let order = UnsafeMutableBufferPointer(rebasing: scratch[(2 * parts + 1)...])
                starts.initialize(repeating: 0)
                for i in 0..<n { starts[places.partitions[i] + 1] += 1 }
                for p in 0..<parts {
                    starts[p + 1] += starts[p]
                    next[p] = starts[p]
                }
                for i in 0..<n {
                    let p = places.partitions[i]
                    order[next[p]] = i
                    next[p] += 1
                }
                for k in 0..<min(n, Self.prefetchDistance) { Self.prefetch(slots, places, order[k]) }
                for p in 0..<parts where starts[p + 1] > starts[p] {
                    partitions[p].state.withLock { state in
                        insert(batch, base: base, order: order, starts[p]..<starts[p + 1], places: places, partition: p, into: &state)
                    }
                }
            }
        }
    }

    /// One partition's group of the batch (`order[group]`), under its lock; it asks for
    /// the buckets of the entries after it in `order` as it goes.
    private func insert(_ batch: Winnower.Batch, base: Int64, order: UnsafeMutableBufferPointer<Int>, _ group: Range<Int>,
                        places: Places, partition: Int, into state: inout PartitionState) {
        let slots = self.slots, start = partition * partitionSlots, end = start + partitionSlots
        let full = partitionSlots * 8 / 10
        var count = state.count, dropped = state.dropped
        for k in group {
            if k + Self.prefetchDistance < order.count { Self.prefetch(slots, places, order[k + Self.prefetchDistance]) }
            let i = order[k]
            let offset = base + Int64(batch.offsets[i])
            guard offset >= 0, UInt64(offset) < Self.offsetMask, count < full else { dropped += 1; continue }
            let tag = Self.tag(batch.fingerprints[i])
            let entry = (tag << Self.offsetBits) | (UInt64(offset) + 1)
            var slot = places.homes[i]
            var present = false
            var same = 0
            while slots[slot] != 0 {
                if slots[slot] >> Self.offsetBits == tag {
                    same += 1
                    if same >= Self.maxPerFingerprint || slots[slot] == entry { present = true; break }
                }
                slot += 1
                if slot == end { slot = start }
            }
            if !present {
                slots[slot] = entry
                count += 1
            }
        }
        state.count = count
        state.dropped = dropped
    }

    /// Calls `body(i, offset)` for each entry whose tag matches the batch's fingerprint
    /// `i`; stops when it returns false (and then returns false).
    public func lookUp(_ batch: Winnower.Batch, _ body: (Int, Int64) -> Bool) -> Bool {
        guard partitionSlots > 0, batch.count > 0 else { return true }
        let slots = self.slots, perPartition = partitionSlots
        let n = batch.count
        return withPlaces(batch) { places in
            for i in 0..<min(n, Self.prefetchDistance) { Self.prefetch(slots, places, i) }
            for i in 0..<n {
                if i + Self.prefetchDistance < n { Self.prefetch(slots, places, i + Self.prefetchDistance) }
                let tag = Self.tag(batch.fingerprints[i])
                var slot = places.homes[i]
                let start = places.partitions[i] * perPartition, end = start + perPartition
                while true {
                    let entry = slots[slot]
                    if entry == 0 { break }
                    if entry >> Self.offsetBits == tag, !body(i, Int64(entry & Self.offsetMask) - 1) { return false }
                    slot += 1
                    if slot == end { slot = start }
                }
            }
            return true
        }
    }
}
