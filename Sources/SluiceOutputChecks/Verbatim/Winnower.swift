/// Winnows a byte stream: feeds bytes, reports each newly kept fingerprint with the
/// offset of its gram. A gram made of one repeated byte (zero padding, spaces) is never
/// kept, so runs of one byte are not copies; a K-byte run holding two different bytes
/// still has a gram that is kept.
public struct Winnower: Sendable {
    public let parameters: WinnowingParameters
    private let power: UInt64
    private var state = State()
    /// The last k bytes.
    private var ring: [UInt8]
    // The sliding minimum: a ring deque of (hash, gram offset), hashes increasing from its head.
    private var dequeHash: [UInt64]
    private var dequeOffset: [Int]

    struct State: Sendable {
        var hash: UInt64 = 0
        /// Bytes fed so far.
        var position = 0
        var ringIndex = 0
        /// Bytes equal to the last byte, ending at it.
        var run = 0
        var last: UInt8 = 0
        var head = 0
        var count = 0
        var lastKept = -1
    }

    static let base: UInt64 = 0x100000001B3

    public init(parameters: WinnowingParameters) {
        self.parameters = parameters
        var p: UInt64 = 1
        for _ in 0..<parameters.gram { p = p &* Self.base }
        power = p
        ring = [UInt8](repeating: 0, count: parameters.gram)
        dequeHash = [UInt64](repeating: 0, count: parameters.grams + 1)
        dequeOffset = [Int](repeating: 0, count: parameters.grams + 1)
    }

    /// A mixing step over the rolling hash, so the minimum's position is spread evenly.
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Feeds `bytes`; `kept(fingerprint, gramOffset)` is called for each fingerprint
    /// kept, the offset counted from the first byte ever fed. Return false from `kept`
    /// to stop: `feed` then returns false.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ kept: (UInt64, Int) -> Bool) -> Bool {
        // Worked on as locals (moved out, so no copy), then put back.
        var s = state
        var ring = self.ring, hashes = dequeHash, offsets = dequeOffset
        self.ring = []
        dequeHash = []
        dequeOffset = []
        defer {
            state = s
            self.ring = ring
            dequeHash = hashes
            dequeOffset = offsets
        }
        let k = parameters.gram
        let w = parameters.grams
        let slots = w + 1
        let power = self.power
        return ring.withUnsafeMutableBufferPointer { ring in
            hashes.withUnsafeMutableBufferPointer { dh in
                offsets.withUnsafeMutableBufferPointer { doff in
                    // The state as locals of this closure (registers), written back at the end.
                    var st = s
                    defer { s = st }
                    let base = Self.base
                    for byte in bytes {
                        let outgoing = ring[st.ringIndex]
                        ring[st.ringIndex] = byte
                        st.ringIndex += 1
                        if st.ringIndex == k { st.ringIndex = 0 }
                        st.hash = st.hash &* base &+ UInt64(byte) &+ 1
                        if st.position >= k { st.hash = st.hash &- (UInt64(outgoing) &+ 1) &* power }
                        st.run = (st.position > 0 && byte == st.last) ? st.run + 1 : 1
                        st.last = byte
                        st.position += 1
                        guard st.position >= k else { continue }
                        let gramOffset = st.position - k
                        let value = st.run >= k ? UInt64.max : Self.mix(st.hash)
                        // Push, dropping larger-or-equal hashes behind it (the rightmost minimum wins).
                        while st.count > 0 {
                            var back = st.head + st.count - 1
                            if back >= slots { back -= slots }
                            if dh[back] >= value { st.count -= 1 } else { break }
                        }
                        var tail = st.head + st.count
                        if tail >= slots { tail -= slots }
                        dh[tail] = value
                        doff[tail] = gramOffset
                        st.count += 1
                        if doff[st.head] <= gramOffset - w {
                            st.head += 1
                            if st.head == slots { st.head = 0 }
                            st.count -= 1
                        }
                        guard gramOffset >= w - 1 else { continue }
                        let at = doff[st.head]
                        if at != st.lastKept {
                            st.lastKept = at
                            let minimum = dh[st.head]
                            if minimum != UInt64.max, !kept(minimum, at) { return false }
                        }
                    }
                    return true
                }
            }
        }
    }
}
