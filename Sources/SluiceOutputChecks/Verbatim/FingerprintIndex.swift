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
/// Fingerprints come in batches (a block's worth), and each batch first reads the home
/// slot of every fingerprint in one tight loop: the table is far larger than the caches,
/// and only a loop with nothing else in it has many of those reads in flight at once.
///
/// Several workers may insert at once (each batch under the index's lock); lookups take
/// no lock, so they may only start once every insert is done.
public final class FingerprintIndex: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<UInt64>
    private let capacity: Int
    public private(set) var count = 0
    /// Entries refused because the index was full (or its memory could not be had);
    /// when any, a lookup may miss.
    public private(set) var dropped = 0
    private let lock = Mutex(())

    public static let maxPerFingerprint = 8
    static let offsetBits: UInt64 = 40
    static let offsetMask: UInt64 = (1 << offsetBits) - 1
    static let hugePage = 2 << 20

    /// Room for `expected` entries at a load of 0.6, and for a third more before it is full.
    public init(expected: Int) {
        let wanted = min(max(1024, expected * 5 / 3), Int(UInt32.max))
        var memory: UnsafeMutableRawPointer?
        let bytes = wanted * MemoryLayout<UInt64>.stride
        if posix_memalign(&memory, Self.hugePage, bytes) == 0, let memory {
            // Huge pages spare a page walk on most lookups (the kernel may decline).
            _ = madvise(memory, bytes, Int32(MADV_HUGEPAGE))
            memset(memory, 0, bytes)
            slots = memory.bindMemory(to: UInt64.self, capacity: wanted)
            capacity = wanted
        } else {
            // No memory for the table: every insert is dropped, so the search says undecided.
            slots = .allocate(capacity: 1)
            slots.initialize(to: 0)
            capacity = 0
        }
    }

    deinit {
        if capacity == 0 { slots.deallocate() } else { free(slots) }
    }

    /// The first slot of a fingerprint: its low 32 bits scaled to the capacity.
    @inline(__always) func home(_ fingerprint: UInt64) -> Int {
        Int((UInt64(UInt32(truncatingIfNeeded: fingerprint)) &* UInt64(capacity)) >> 32)
    }

    /// How many entries `bytes` of input are expected to give with these parameters.
    public static func expectedEntries(bytes: Int64, parameters: WinnowingParameters) -> Int {
        Int(min(bytes * 2 / Int64(parameters.grams + 1) + 64, 1 << 34))
    }

    @inline(__always) static func tag(_ fingerprint: UInt64) -> UInt64 { (fingerprint >> offsetBits) | 1 }

    /// Reads the home slot of each of the batch's fingerprints, all in flight together,
    /// then runs `body` with them. (Locals throughout: a class's properties are checked
    /// on each access.)
    private func withHomes<R>(_ batch: Winnower.Batch, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        let slots = self.slots, capacity = UInt64(self.capacity)
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(1, batch.count)) { entries in
            for i in 0..<batch.count {
                entries[i] = slots[Int((UInt64(UInt32(truncatingIfNeeded: batch.fingerprints[i])) &* capacity) >> 32)]
            }
            return body(UnsafeBufferPointer(entries))
        }
    }

    /// Adds the batch's fingerprints, their offsets moved by `base`.
    public func insert(_ batch: Winnower.Batch, base: Int64) {
        lock.withLock { _ in insertLocked(batch, base: base) }
    }

    private func insertLocked(_ batch: Winnower.Batch, base: Int64) {
        guard capacity > 0 else { dropped += batch.count; return }
        var count = self.count, dropped = self.dropped
        let slots = self.slots, capacity = self.capacity, full = capacity * 8 / 10
        withHomes(batch) { homes in
            for i in 0..<batch.count {
                let offset = base + Int64(batch.offsets[i])
                guard offset >= 0, UInt64(offset) < Self.offsetMask, count < full else { dropped += 1; continue }
                let fingerprint = batch.fingerprints[i]
                let tag = Self.tag(fingerprint)
                let entry = (tag << Self.offsetBits) | (UInt64(offset) + 1)
                var slot = home(fingerprint)
                var present = false
                // The home read ahead may be stale (an earlier entry of this batch may
                // have taken the slot), so an empty one is looked at again.
                if homes[i] != 0 || slots[slot] != 0 {
                    var same = 0
                    while slots[slot] != 0 {
                        if slots[slot] >> Self.offsetBits == tag {
                            same += 1
                            if same >= Self.maxPerFingerprint || slots[slot] == entry { present = true; break }
                        }
                        slot += 1
                        if slot == capacity { slot = 0 }
                    }
                }
                if !present {
                    slots[slot] = entry
                    count += 1
                }
            }
        }
        self.count = count
        self.dropped = dropped
    }

    /// Calls `body(i, offset)` for each entry whose tag matches the batch's fingerprint
    /// `i`; stops when it returns false (and then returns false).
    public func lookUp(_ batch: Winnower.Batch, _ body: (Int, Int64) -> Bool) -> Bool {
        guard capacity > 0 else { return true }
        let slots = self.slots, capacity = self.capacity
        return withHomes(batch) { homes in
            for i in 0..<batch.count where homes[i] != 0 {
                let fingerprint = batch.fingerprints[i]
                let tag = Self.tag(fingerprint)
                var slot = home(fingerprint)
                while true {
                    let entry = slots[slot]
                    if entry == 0 { break }
                    if entry >> Self.offsetBits == tag, !body(i, Int64(entry & Self.offsetMask) - 1) { return false }
                    slot += 1
                    if slot == capacity { slot = 0 }
                }
            }
            return true
        }
    }
}
