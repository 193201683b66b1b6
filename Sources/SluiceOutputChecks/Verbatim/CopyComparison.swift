/// Whether two files share K consecutive bytes around a gram both hold: the gram's k
/// bytes equal, and extending left and right (each by at most K - k) covers K.
struct CopyComparison {
    let parameters: WinnowingParameters
    private let a: UnsafeMutableRawBufferPointer
    private let b: UnsafeMutableRawBufferPointer

    init(parameters: WinnowingParameters) {
        self.parameters = parameters
        let span = 2 * parameters.window
        a = .allocate(byteCount: span, alignment: 16)
        b = .allocate(byteCount: span, alignment: 16)
    }

    func deallocate() {
        a.deallocate()
        b.deallocate()
    }

    /// nil when a read failed.
    func isCopy(_ first: CorpusFile, at gramA: Int64, _ second: CorpusFile, at gramB: Int64) -> Bool? {
        let k = parameters.gram
        let reach = Int64(parameters.window - k)
        let leftA = min(reach, gramA), leftB = min(reach, gramB)
        let left = min(leftA, leftB)
        let length = Int(left) + k + Int(reach)
        guard let readA = first.read(into: UnsafeMutableRawBufferPointer(rebasing: a[0..<length]), at: gramA - left),
              let readB = second.read(into: UnsafeMutableRawBufferPointer(rebasing: b[0..<length]), at: gramB - left)
        else { return nil }
        let available = min(readA, readB)
        let gramStart = Int(left)
        guard available >= gramStart + k else { return false }
        for i in gramStart..<(gramStart + k) where a[i] != b[i] { return false }
        var matchedLeft = 0
        while matchedLeft < gramStart, a[gramStart - 1 - matchedLeft] == b[gramStart - 1 - matchedLeft] { matchedLeft += 1 }
        var matchedRight = 0
        let rightStart = gramStart + k
        while rightStart + matchedRight < available, a[rightStart + matchedRight] == b[rightStart + matchedRight] { matchedRight += 1 }
        return matchedLeft + k + matchedRight >= parameters.window
    }
}
