/// How the verbatim check fingerprints bytes for a copy length K: hashes of k-byte
/// grams, and in every run of w = K - k + 1 consecutive grams the smallest hash is kept
/// (winnowing). Two files sharing K consecutive bytes share those w grams, so both keep
/// the same smallest one: every copy of K bytes or more meets in one fingerprint, while
/// only about 2 / (w + 1) of the positions are kept.
public struct WinnowingParameters: Sendable, Equatable {
    /// K: the copy length that must be found.
    public let window: Int
    /// k: the gram length.
    public let gram: Int
    /// w: grams per winnowing window.
    public var grams: Int { window - gram + 1 }

    public init(window: Int) {
        self.window = max(window, 2)
        self.gram = min(self.window, max(8, self.window / 4))
    }
}
