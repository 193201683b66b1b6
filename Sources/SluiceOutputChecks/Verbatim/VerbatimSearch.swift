/// The verbatim check: which outputs hold K or more consecutive bytes of an input.
///
/// One side's files are winnowed into a `FingerprintIndex` (the outputs when they are
/// the smaller side and few, else the inputs), then the other side is winnowed in one
/// pass, looking each kept fingerprint up and comparing the actual bytes on a hit. So
/// the cost is one pass over the inputs and one over the outputs, never their product;
/// memory is about 8 bytes per 30 bytes of the indexed side (K = 64).
public struct VerbatimSearch: Sendable {
    public let parameters: WinnowingParameters
    /// Bytes read at a time.
    public var chunk = 1 << 20

    public init(window: Int) { parameters = WinnowingParameters(window: window) }

    /// What the search found: for each output copying an input, that input; and the
    /// outputs it could not decide (a read failed, the index was full, or so many
    /// near-copies failed to compare that the search gave up), which must not be released.
    public struct Findings: Sendable, Equatable {
        /// Output id to the id of an input it copies.
        public var copies: [Int: Int] = [:]
        public var undecided: [Int: Undecided] = [:]

        public init(copies: [Int: Int] = [:], undecided: [Int: Undecided] = [:]) {
            self.copies = copies
            self.undecided = undecided
        }
    }

    public enum Undecided: String, Sendable, Equatable {
        case unreadableOutput
        case unreadableInput
        case indexFull
        case tooManyNearCopies
    }

    /// Outputs indexed only when at most this many (their files stay open meanwhile).
    static let maxIndexedOutputs = 256

    public func run(inputs: [CorpusFile], outputs: [CorpusFile]) -> Findings {
        var findings = Findings()
        let pending = outputs.filter { $0.size >= Int64(parameters.window) }
        guard !pending.isEmpty, inputs.contains(where: { $0.size >= Int64(parameters.window) }) else { return findings }
        let inputBytes = inputs.reduce(Int64(0)) { $0 + $1.size }
        let outputBytes = pending.reduce(Int64(0)) { $0 + $1.size }
        let indexOutputs = pending.count <= Self.maxIndexedOutputs && outputBytes < inputBytes
        let indexed = indexOutputs ? pending : inputs
        let scanned = indexOutputs ? inputs : pending
        func undecidedAll(_ reason: Undecided) -> Findings {
            var out = findings
            for o in pending where out.copies[o.id] == nil { out.undecided[o.id] = reason }
            return out
        }

        // 1. Index one side, its files end to end.
        var bases: [Int64] = []
        var total: Int64 = 0
        for file in indexed {
            bases.append(total)
            total += file.size
        }
        var index = FingerprintIndex(expected: FingerprintIndex.expectedEntries(bytes: total, parameters: parameters))
        for (i, file) in indexed.enumerated() {
            var winnower = Winnower(parameters: parameters)
            let base = bases[i]
            let ok = file.stream(chunk: chunk) { bytes in
                winnower.feed(bytes) { fingerprint, offset in
                    index.insert(fingerprint, offset: base + Int64(offset))
                    return true
                }
            }
            if !ok {
                if indexOutputs { findings.undecided[file.id] = .unreadableOutput } else { return undecidedAll(.unreadableInput) }
            }
        }
        if index.dropped > 0 { return undecidedAll(.indexFull) }

        // 2. Scan the other side against it.
        let comparison = CopyComparison(parameters: parameters)
        defer { comparison.deallocate() }
        var budget = 10_000 + Int((inputBytes + outputBytes) / 1024)
        for file in scanned {
            if !indexOutputs, findings.undecided[file.id] != nil { continue }
            var winnower = Winnower(parameters: parameters)
            var failure: Undecided?
            let ok = file.stream(chunk: chunk) { bytes in
                winnower.feed(bytes) { fingerprint, offset in
                    var keepGoing = true
                    index.forEachCandidate(fingerprint) { global in
                        let at = Self.locate(global, in: bases)
                        let other = indexed[at]
                        let output = indexOutputs ? other : file
                        let input = indexOutputs ? file : other
                        if findings.copies[output.id] != nil || findings.undecided[output.id] != nil { return true }
                        switch comparison.isCopy(other, at: global - bases[at], file, at: Int64(offset)) {
                        case true?:
                            findings.copies[output.id] = input.id
                            if !indexOutputs { keepGoing = false }
                            return keepGoing
                        case false?:
                            budget -= 1
                            if budget <= 0 { failure = .tooManyNearCopies; keepGoing = false }
                            return keepGoing
                        case nil:
                            failure = indexOutputs ? .unreadableInput : .unreadableOutput
                            keepGoing = false
                            return false
                        }
                    }
                    if indexOutputs, findings.copies.count + findings.undecided.count == pending.count { keepGoing = false }
                    return keepGoing
                }
            }
            if !ok { failure = failure ?? (indexOutputs ? .unreadableInput : .unreadableOutput) }
            switch failure {
            case .unreadableOutput?:
                findings.undecided[file.id] = .unreadableOutput
            case let reason?:
                return undecidedAll(reason)
            case nil:
                break
            }
            if indexOutputs, findings.copies.count + findings.undecided.count == pending.count { break }
        }
        return findings
    }

    /// The index of the file holding offset `global` of the files laid end to end.
    static func locate(_ global: Int64, in bases: [Int64]) -> Int {
        var low = 0, high = bases.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if bases[mid] <= global { low = mid } else { high = mid - 1 }
        }
        return low
    }
}
