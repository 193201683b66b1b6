/// The kept fingerprints of one side of the verbatim check, each with where its gram is
/// (an offset into that side's files laid end to end). Open addressing over one flat
/// array of 8-byte entries: a 24-bit tag of the fingerprint and the offset plus one.
/// A fingerprint is kept at most `maxPerFingerprint` times (a gram repeated more often
/// is checked against its first occurrences).
public struct FingerprintIndex: Sendable {
    private var slots: [UInt64]
    private let capacity: Int
    public private(set) var count = 0
    /// Entries refused because the index was full; when any, a lookup may miss.
    public private(set) var dropped = 0

    public static let maxPerFingerprint = 8
    static let offsetBits: UInt64 = 40
    static let offsetMask: UInt64 = (1 << offsetBits) - 1

    /// Room for `expected` entries at a load of 0.6, and for a third more before it is full.
    public init(expected: Int) {
        capacity = min(max(1024, expected * 5 / 3), Int(UInt32.max))
        slots = [UInt64](repeating: 0, count: capacity)
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

    public mutating func insert(_ fingerprint: UInt64, offset: Int64) {
        guard offset >= 0, UInt64(offset) < Self.offsetMask else { dropped += 1; return }
        guard count < capacity * 8 / 10 else { dropped += 1; return }
        let tag = Self.tag(fingerprint)
        let entry = (tag << Self.offsetBits) | (UInt64(offset) + 1)
        var i = home(fingerprint)
        var same = 0
        while slots[i] != 0 {
            if slots[i] >> Self.offsetBits == tag {
                same += 1
                if same >= Self.maxPerFingerprint || slots[i] == entry { return }
            }
            i += 1
            if i == capacity { i = 0 }
        }
        slots[i] = entry
        count += 1
    }

    /// Calls `body` with the offset of each entry whose tag matches; stops when it returns false.
    @inline(__always)
    public func forEachCandidate(_ fingerprint: UInt64, _ body: (Int64) -> Bool) {
        let tag = Self.tag(fingerprint)
        var i = home(fingerprint)
        while true {
            let entry = slots[i]
            if entry == 0 { return }
            if entry >> Self.offsetBits == tag, !body(Int64(entry & Self.offsetMask) - 1) { return }
            i += 1
            if i == capacity { i = 0 }
        }
    }
}
