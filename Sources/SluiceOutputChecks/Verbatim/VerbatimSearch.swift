import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The verbatim check: which outputs hold K or more consecutive bytes of an input.
///
/// One side's files are winnowed into a `FingerprintIndex` (the outputs when they are
/// the smaller side and few, else the inputs), then the other side is winnowed in one
/// pass, looking each kept fingerprint up and comparing the actual bytes on a hit. So
/// the cost is one pass over the inputs and one over the outputs, never their product;
/// memory is about 8 bytes per 30 bytes of the indexed side (K = 64). Each side is cut
/// among `workers` threads; the index takes their batches under its partitions' locks, and is only read
/// once it is complete.
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

    /// Threads the search runs on: the machine's cores, at most 4.
    public var workers = max(1, min(4, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    /// Bytes a side must have per worker before it is split among workers.
    public var bytesPerWorker: Int64 = 4 << 20

    public func run(inputs: [CorpusFile], outputs: [CorpusFile]) -> Findings {
        var findings = Findings()
        let pending = outputs.filter { $0.size >= Int64(parameters.window) }
        guard !pending.isEmpty, inputs.contains(where: { $0.size >= Int64(parameters.window) }) else { return findings }
        let inputBytes = inputs.reduce(Int64(0)) { $0 + $1.size }
        let outputBytes = pending.reduce(Int64(0)) { $0 + $1.size }
        let indexOutputs = pending.count <= Self.maxIndexedOutputs && outputBytes < inputBytes
        let indexed = indexOutputs ? pending : inputs
        let scanned = indexOutputs ? inputs : pending
        func undecidedAll(_ reason: Undecided, _ found: Findings) -> Findings {
            var out = found
            for o in pending where out.copies[o.id] == nil { out.undecided[o.id] = reason }
            return out
        }
        let overlap = Int64(parameters.window - 1)
        func parts(_ files: [CorpusFile]) -> [[CorpusSegment]] {
            let bytes = files.reduce(Int64(0)) { $0 + $1.size }
            return CorpusSegment.split(files, into: min(workers, Int(max(1, bytes / max(1, bytesPerWorker)))), overlap: overlap)
        }

        // 1. Index one side, its files end to end, each worker winnowing its part.
        var total: Int64 = 0
        let bases = indexed.map { file in
            defer { total += file.size }
            return total
        }
        let index = FingerprintIndex(expected: FingerprintIndex.expectedEntries(bytes: total, parameters: parameters))
        let unreadable = Mutex<Set<Int>>([])
        let indexParts = parts(indexed)
        DispatchQueue.concurrentPerform(iterations: indexParts.count) { part in
            for segment in indexParts[part] {
                var winnower = Winnower(parameters: parameters)
                let base = bases[segment.index] + segment.from
                let ok = segment.file.stream(from: segment.from, to: segment.to, chunk: chunk) { bytes in
                    winnower.feedBatches(bytes) { batch in
                        index.insert(batch, base: base)
                        return true
                    }
                }
                if !ok { unreadable.withLock { _ = $0.insert(segment.index) } }
            }
        }
        for i in unreadable.withLock({ $0 }).sorted() {
            if indexOutputs { findings.undecided[indexed[i].id] = .unreadableOutput } else { return undecidedAll(.unreadableInput, findings) }
        }
        if index.dropped > 0 { return undecidedAll(.indexFull, findings) }

        // 2. Scan the other side against it, each worker its part; then put their findings together.
        let scanParts = parts(scanned)
        let budget = 10_000 + Int((inputBytes + outputBytes) / 1024)
        let results = Mutex<[Scan]>([])
        let before = findings
        DispatchQueue.concurrentPerform(iterations: scanParts.count) { part in
            let scan = scanPart(scanParts[part], index: index, indexed: indexed, bases: bases, indexOutputs: indexOutputs,
                                pending: pending.count, budget: budget / scanParts.count, findings: before)
            results.withLock { $0.append(scan) }
        }
        var failure: Undecided?
        for scan in results.withLock({ $0 }) {
            for (output, input) in scan.findings.copies where findings.copies[output] == nil { findings.copies[output] = input }
            for (output, reason) in scan.findings.undecided { findings.undecided[output] = reason }
            failure = failure ?? scan.failure
        }
        for output in findings.copies.keys { findings.undecided[output] = nil }
        if let failure { return undecidedAll(failure, findings) }
        return findings
    }

    /// One worker's scan: what it found, and a reason that leaves every output undecided.
    struct Scan: Sendable {
        var findings: Findings
        var failure: Undecided?
    }

    func scanPart(_ segments: [CorpusSegment], index: FingerprintIndex, indexed: [CorpusFile], bases: [Int64],
                  indexOutputs: Bool, pending: Int, budget: Int, findings start: Findings) -> Scan {
        var findings = start
        let comparison = CopyComparison(parameters: parameters)
        defer { comparison.deallocate() }
        var budget = max(budget, 1)
        for segment in segments {
            let file = segment.file
            if !indexOutputs, findings.undecided[file.id] != nil || findings.copies[file.id] != nil { continue }
            var winnower = Winnower(parameters: parameters)
            var failure: Undecided?
            let ok = file.stream(from: segment.from, to: segment.to, chunk: chunk) { bytes in
                winnower.feedBatches(bytes) { batch in
                    var keepGoing = true
                    _ = index.lookUp(batch) { i, global in
                        let at = Self.locate(global, in: bases)
                        let other = indexed[at]
                        let output = indexOutputs ? other : file
                        let input = indexOutputs ? file : other
                        if findings.copies[output.id] != nil || findings.undecided[output.id] != nil { return true }
                        switch comparison.isCopy(other, at: global - bases[at], file, at: segment.from + Int64(batch.offsets[i])) {
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
                    if indexOutputs, findings.copies.count + findings.undecided.count == pending { keepGoing = false }
                    return keepGoing
                }
            }
            if !ok { failure = failure ?? (indexOutputs ? .unreadableInput : .unreadableOutput) }
            switch failure {
            case .unreadableOutput?:
                findings.undecided[file.id] = .unreadableOutput
            case let reason?:
                return Scan(findings: findings, failure: reason)
            case nil:
                break
            }
            if indexOutputs, findings.copies.count + findings.undecided.count == pending { break }
        }
        return Scan(findings: findings)
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
