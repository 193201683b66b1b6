/// Winnows a byte stream: feeds bytes, reports each newly kept fingerprint with the
/// offset of its gram. A gram made of one repeated byte (zero padding, spaces) is never
/// kept, so runs of one byte are not copies; a K-byte run holding two different bytes
/// still has a gram that is kept.
///
/// Why it is fast: a gear hash (a shift and an add a byte) hashes every gram, and only
/// the grams hashing below `WinnowingParameters.candidateThreshold` (about 6 in a window)
/// go through the sliding minimum. A window holding none is rare; then every gram of the
/// stretch goes through, so what is kept is exactly what plain winnowing keeps.
public struct Winnower {
    public let parameters: WinnowingParameters
    /// One stream's state: a copy of a winnower continues the same stream.
    private let storage: Storage

    /// Bytes hashed before their candidates are winnowed, so the hashes stay in L2.
    static let blockBytes = 8192

    public init(parameters: WinnowingParameters) {
        self.parameters = parameters
        storage = Storage(parameters: parameters)
    }

    /// Feeds `bytes`; `kept(fingerprint, gramOffset)` is called for each fingerprint
    /// kept, the offset counted from the first byte ever fed. Return false from `kept`
    /// to stop: `feed` then returns false.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ kept: (UInt64, Int) -> Bool) -> Bool {
        feedBatches(bytes) { batch in
            for i in 0..<batch.count where !kept(batch.fingerprints[i], batch.offsets[i]) { return false }
            return true
        }
    }

    /// What one block kept: fingerprints and the offsets of their grams, valid during the call.
    public struct Batch {
        public let fingerprints: UnsafeBufferPointer<UInt64>
        public let offsets: UnsafeBufferPointer<Int>
        public var count: Int { fingerprints.count }
    }

    /// Feeds `bytes`, handing each block's kept fingerprints to `body` at once; return
    /// false from `body` to stop: `feedBatches` then returns false.
    public mutating func feedBatches(_ bytes: UnsafeRawBufferPointer, _ body: (Batch) -> Bool) -> Bool {
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Self.blockBytes)
            let found = storage.pass(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            let values = storage.keptValue
            for i in 0..<found { values[i] = Self.mix(values[i]) }
            let batch = Batch(fingerprints: UnsafeBufferPointer(rebasing: values[0..<found]),
                              offsets: UnsafeBufferPointer(rebasing: storage.keptGram[0..<found]))
            if found > 0, !body(batch) { return false }
            start = end
        }
        return true
    }

    /// A mixing step over a gram's hash, so the index's slots and tags are spread evenly.
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The gear table: one fixed random word per byte value.
    static let gear: [UInt64] = {
        var state: UInt64 = 0x5EED_0F5A_1CE5
        return (0..<256).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            return mix(state)
        }
    }()
}

extension Winnower {
    /// The state carried from block to block, in buffers allocated once. Grams are
    /// numbered by their first byte; a window by its last gram.
    final class Storage {
        let k: Int
        let w: Int
        let shift: UInt64
        let firstThreshold: UInt64
        let candidateThreshold: UInt64
        let gear: UnsafeMutableBufferPointer<UInt64>
        /// The hash of a gram of k copies of each byte value.
        let runHash: UnsafeMutableBufferPointer<UInt64>
        /// Per block: each byte's gram hash, and the candidates' offsets.
        let hashes: UnsafeMutableBufferPointer<UInt64>
        let candidates: UnsafeMutableBufferPointer<Int32>
        /// Per block: the grams going through the sliding minimum, in order.
        let streamGram: UnsafeMutableBufferPointer<Int>
        let streamValue: UnsafeMutableBufferPointer<UInt64>
        /// Per block: what was kept.
        let keptGram: UnsafeMutableBufferPointer<Int>
        let keptValue: UnsafeMutableBufferPointer<UInt64>
        /// The sliding minimum: a ring of (value, gram), values increasing from its head.
        let dequeValue: UnsafeMutableBufferPointer<UInt64>
        let dequeGram: UnsafeMutableBufferPointer<Int>
        /// The values of the grams after `pushedUpTo` (fewer than w), waiting to learn
        /// whether their stretch lacks a candidate.
        let pending: UnsafeMutableBufferPointer<UInt64>
        /// The 64 bytes before the block, for the run test of a gram that starts there.
        let history: UnsafeMutableBufferPointer<UInt8>

        var hash: UInt64 = 0
        /// Bytes fed before this block.
        var fed = 0
        /// The last candidate streamed, and the last of the first kind (-1: as if just before the stream).
        var lastCandidate = -1
        var lastFirst = -1
        /// The last gram of a gap over a window whose candidates were looked for.
        var scannedUpTo = -1
        var pushedUpTo = -1
        var pendingStart = 0
        var head = 0
        var count = 0
        var lastKept = -1
        /// The last gram known to be a run, and of which byte (the next gram is one too
        /// if it ends in that byte).
        var runGram = -2
        var runByte: UInt8 = 0

        init(parameters: WinnowingParameters) {
            k = parameters.gram
            w = parameters.grams
            shift = parameters.shift
            firstThreshold = parameters.firstThreshold
            candidateThreshold = parameters.candidateThreshold
            gear = .allocate(capacity: 256)
            _ = gear.initialize(from: Winnower.gear)
            runHash = .allocate(capacity: 256)
            for b in 0..<256 {
                var h: UInt64 = 0
                for _ in 0..<parameters.gram { h = (h &<< parameters.shift) &+ Winnower.gear[b] }
                runHash[b] = h
            }
            let block = Winnower.blockBytes
            hashes = .allocate(capacity: block)
            candidates = .allocate(capacity: block + 2)
            // The block's grams, and those the previous blocks left waiting.
            let streamed = block + parameters.grams
            streamGram = .allocate(capacity: streamed)
            streamValue = .allocate(capacity: streamed)
            // Each push keeps at most one, and so does each expiry (at most one per push).
            keptGram = .allocate(capacity: 2 * streamed + 1)
            keptValue = .allocate(capacity: 2 * streamed + 1)
            dequeValue = .allocate(capacity: parameters.grams + 1)
            dequeGram = .allocate(capacity: parameters.grams + 1)
            pending = .allocate(capacity: parameters.grams)
            history = .allocate(capacity: 64)
            history.initialize(repeating: 0)
        }

        deinit {
            for buffer in [gear, runHash, hashes, streamValue, keptValue, dequeValue, pending] { buffer.deallocate() }
            for buffer in [streamGram, keptGram, dequeGram] { buffer.deallocate() }
            candidates.deallocate()
            history.deallocate()
        }

        /// Passes one block (at most `blockBytes`); returns how many were kept.
        func pass(_ block: UnsafeRawBufferPointer) -> Int {
            let n = block.count
            let firstGram = fed - (k - 1)
            // 1. Hash every gram; note the candidates.
            let found = hashGrams(block)

            // 2. The stream (see `WinnowingParameters.firstThreshold`): the first kind of
            // candidate; the others once a gap between two of the first kind is over a
            // window; every gram once a gap between two candidates is. The state as
            // locals: a class's properties are checked on each access.
            var streamed = 0
            var pushedUpTo = self.pushedUpTo, lastCandidate = self.lastCandidate, lastFirst = self.lastFirst
            var runGram = self.runGram, runByte = self.runByte, scannedUpTo = self.scannedUpTo
            let pendingStart = self.pendingStart, w = self.w, k = self.k, secondThreshold = self.candidateThreshold
            let streamGram = self.streamGram, streamValue = self.streamValue
            let pending = self.pending, runHash = self.runHash, history = self.history
            let hashes = self.hashes, candidates = self.candidates
            func stream(_ g: Int, _ v: UInt64) {
                streamGram[streamed] = g
                streamValue[streamed] = v
                streamed += 1
                pushedUpTo = g
            }
            /// Whether gram `g` (ending at offset `j`, in `byte`) is k copies of one byte.
            func isRun(_ g: Int, endingAt j: Int, _ byte: UInt8) -> Bool {
                // The gram after a run is one when it ends in the same byte.
                if g == runGram + 1, byte == runByte {
                    runGram = g
                    return true
                }
                for back in 1..<k {
                    let at = j - back
                    if (at >= 0 ? block[at] : history[64 + at]) != byte { return false }
                }
                runGram = g
                runByte = byte
                return true
            }
            /// A gram's value for the minimum: its hash, or the largest value for a run.
            func value(ofGram g: Int) -> UInt64 {
                if g < firstGram { return pending[g - pendingStart] }
                let j = g - firstGram
                let h = hashes[j]
                let byte = block[j]
                guard h == runHash[Int(byte)] else { return h }
                return isRun(g, endingAt: j, byte) ? .max : h
            }
            /// Every gram after the last one streamed, up to `through`.
            func fill(through: Int) {
                guard pushedUpTo < through else { return }
                for x in (pushedUpTo + 1)...through { stream(x, value(ofGram: x)) }
            }
            /// A candidate in a gap of the first kind over a window: after every gram
            /// before it if the gap since the last candidate is over a window too.
            func streamCandidate(_ g: Int, _ v: UInt64) {
                if g - lastCandidate > w { fill(through: g - 1) }
                stream(g, v)
                lastCandidate = g
            }
            /// Every gram after those already looked at, up to `through`: the candidates among them.
            func scanGap(through t: Int) {
                var x = max(pushedUpTo, scannedUpTo) + 1
                while x <= t {
                    let v = value(ofGram: x)
                    if v < secondThreshold { streamCandidate(x, v) }
                    x += 1
                }
                scannedUpTo = max(scannedUpTo, t)
            }
            for c in 0..<found {
                let g = firstGram + Int(candidates[c])
                guard g >= 0 else { continue }
                let v = value(ofGram: g)
                guard v != .max else { continue }
                if g - lastFirst > w {
                    scanGap(through: g - 1)
                    streamCandidate(g, v)
                } else {
                    // No window fits since the last one: nothing between can be a minimum.
                    stream(g, v)
                    lastCandidate = g
                }
                lastFirst = g
            }
            let last = firstGram + n - 1
            if last >= 0, last - lastFirst >= w {
                scanGap(through: last)
                if last - lastCandidate >= w { fill(through: last) }
            }

            // 3. The sliding minimum over the stream, then the windows up to the block's end.
            let kept = slide(streamed, through: last)

            // 4. Carry what the next block needs.
            if last >= 0 {
                let start = pushedUpTo + 1
                let waiting = max(0, last - start + 1)
                for i in 0..<waiting { pending[i] = value(ofGram: start + i) }
                self.pendingStart = start
            }
            self.pushedUpTo = pushedUpTo
            self.lastCandidate = lastCandidate
            self.lastFirst = lastFirst
            self.scannedUpTo = scannedUpTo
            self.runGram = runGram
            self.runByte = runByte
            if n >= 64 {
                for i in 0..<64 { history[i] = block[n - 64 + i] }
            } else {
                for i in 0..<(64 - n) { history[i] = history[i + n] }
                for i in 0..<n { history[64 - n + i] = block[i] }
            }
            fed += n
            return kept
        }

        /// Hashes every gram of the block into `hashes` and notes the candidates' offsets,
        /// in order, in `candidates`; returns how many. A gram's hash holds its k bytes only
        /// (64 / k bits a byte), so a second chain can start anywhere k bytes in: two chains
        /// hash the two halves at once, since one alone waits on itself (a shift and an add
        /// a byte) and leaves the core mostly idle. (Four chains run out of registers.)
        func hashGrams(_ block: UnsafeRawBufferPointer) -> Int {
            let n = block.count
            // Locals, so the loops keep them in registers (stores through the buffers
            // could otherwise alias this object).
            let shift = self.shift, threshold = self.firstThreshold
            let gear = self.gear, hashes = self.hashes, candidates = self.candidates
            /// One byte of a chain: the gram ending at `j` hashed, its offset noted, and the
            /// note kept if it is a candidate (through UInt8, so the compiler sets a flag
            /// instead of branching).
            @inline(__always) func step(_ h: inout UInt64, _ found: inout Int, _ j: Int) {
                h = (h &<< shift) &+ gear[Int(block[j])]
                hashes[j] = h
                candidates[found] = Int32(truncatingIfNeeded: j)
                found &+= Int(truncatingIfNeeded: UInt8(h < threshold ? 1 : 0))
            }
            guard n >= 2 * k else {
                var found = 0
                for j in 0..<n { step(&hash, &found, j) }
                return found
            }
            // The second chain starts from the k - 1 bytes before its half: all the one
            // chain would still hold of the bytes there once it has hashed the next.
            let half = n / 2
            var h1: UInt64 = 0
            for j in (half - k + 1)..<half { h1 = (h1 &<< shift) &+ gear[Int(block[j])] }
            var h0 = hash
            // The second half notes its candidates from `half + 1`: the slot past the first
            // half's notes, which its unconditional store may write, is the first half's.
            var f0 = 0, f1 = half &+ 1
            for j in 0..<half {
                step(&h0, &f0, j)
                step(&h1, &f1, j &+ half)
            }
            // An odd byte left by the division.
            for j in (2 * half)..<n { step(&h1, &f1, j) }
            hash = h1
            // Close the gap between the halves' notes.
            var found = f0
            for i in (half + 1)..<f1 {
                candidates[found] = candidates[i]
                found += 1
            }
            return found
        }

        /// The sliding minimum (the rightmost wins) over the block's stream; each gram
        /// that becomes a window's minimum is kept once. Runs (the largest value) never are.
        func slide(_ streamed: Int, through last: Int) -> Int {
            var head = self.head, count = self.count, lastKept = self.lastKept
            var kept = 0
            let w = self.w, slots = w + 1
            let dequeGram = self.dequeGram, dequeValue = self.dequeValue, keptGram = self.keptGram, keptValue = self.keptValue
            let streamGram = self.streamGram, streamValue = self.streamValue
            @inline(__always) func keepHead() {
                guard count > 0 else { return }
                let g = dequeGram[head]
                let v = dequeValue[head]
                guard g != lastKept, v != .max else { return }
                lastKept = g
                keptGram[kept] = g
                keptValue[kept] = v
                kept += 1
            }
            @inline(__always) func expire(upTo t: Int) {
                while count > 0, dequeGram[head] + w <= t {
                    head += 1
                    if head == slots { head = 0 }
                    count -= 1
                    keepHead()
                }
            }
            for i in 0..<streamed {
                let g = streamGram[i], v = streamValue[i]
                expire(upTo: g - 1)
                while count > 0 {
                    var back = head + count - 1
                    if back >= slots { back -= slots }
                    if dequeValue[back] >= v { count -= 1 } else { break }
                }
                var tail = head + count
                if tail >= slots { tail -= slots }
                dequeValue[tail] = v
                dequeGram[tail] = g
                count += 1
                if dequeGram[head] <= g - w {
                    head += 1
                    if head == slots { head = 0 }
                    count -= 1
                }
                keepHead()
            }
            expire(upTo: last)
            self.head = head
            self.count = count
            self.lastKept = lastKept
            return kept
        }
    }
}
