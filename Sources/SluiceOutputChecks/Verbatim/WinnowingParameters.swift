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

    /// Grams hashing below `candidateThreshold` (about 8 in a window) are candidates;
    /// those below `firstThreshold` (about 4 in a window) always go through the sliding
    /// minimum. The other candidates go through only between two of the first kind more
    /// than a window apart (about 1 in 60 such gaps), and every gram only between two
    /// candidates more than a window apart (about e^-8 of those). What is kept is the same
    /// as plain winnowing's: a window's minimum is always among what went through.
    var firstThreshold: UInt64 { threshold(expectedPerWindow: 4) }
    var candidateThreshold: UInt64 { threshold(expectedPerWindow: 8) }

    private func threshold(expectedPerWindow: Double) -> UInt64 {
        let p = min(1.0, expectedPerWindow / Double(grams))
        return p >= 1 ? UInt64.max : UInt64(Double(UInt64.max) * p)
    }
}
