/// How the verbatim check fingerprints bytes for a copy length K: hashes of k-byte
/// grams, and in every run of w = K - k + 1 consecutive grams the smallest hash is kept
/// (winnowing). Two files sharing K consecutive bytes share those w grams, so both keep
/// the same smallest one: every copy of K bytes or more meets in one fingerprint, while
/// only about 2 / (w + 1) of the positions are kept.
public struct WinnowingParameters: Sendable, Equatable {
    /// K: the copy length that must be found.
    public let window: Int
    /// k: the gram length, a power of two from 2 to 64, so the gear hash's shift (64 / k
    /// bits a byte) pushes a byte out of the hash exactly k bytes later.
    public let gram: Int
    /// w: grams per winnowing window.
    public var grams: Int { window - gram + 1 }
    /// Bits the gear hash shifts per byte.
    var shift: UInt64 { UInt64(64 / gram) }

    public init(window: Int) {
        self.window = max(window, 2)
        let wanted = min(64, self.window, max(8, self.window / 4))
        var gram = 2
        while gram * 2 <= wanted { gram *= 2 }
        self.gram = gram
    }

    /// Hashes below this are candidates for a window's minimum. Chosen so that a window
    /// of w grams lacks one only rarely ((1 - p)^w about e^-6); such windows are then
    /// searched through all their grams, so the result is the same as a full search.
    var candidateThreshold: UInt64 {
        let p = min(1.0, 6.0 / Double(grams))
        return p >= 1 ? UInt64.max : UInt64(Double(UInt64.max) * p)
    }
}
