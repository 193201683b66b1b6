/// A stretch of one file that one worker of the verbatim search winnows.
struct CorpusSegment: Sendable {
    /// Which of its side's files, and the file.
    let index: Int
    let file: CorpusFile
    /// Bytes `from..<to` of the file.
    let from: Int64
    let to: Int64

    /// A side's files, laid end to end, cut into at most `parts` runs of about equal
    /// size. A run that starts inside a file starts `overlap` bytes early, so every
    /// stretch of `overlap + 1` bytes lies whole inside one run.
    static func split(_ files: [CorpusFile], into parts: Int, overlap: Int64) -> [[CorpusSegment]] {
        let total = files.reduce(Int64(0)) { $0 + $1.size }
        let parts = max(1, parts)
        let share = (total + Int64(parts) - 1) / Int64(parts)
        var runs: [[CorpusSegment]] = [[]]
        var room = max(1, share)
        for (index, file) in files.enumerated() where file.size > 0 {
            var at: Int64 = 0
            repeat {
                let take = min(file.size - at, room)
                runs[runs.count - 1].append(CorpusSegment(index: index, file: file, from: at == 0 ? 0 : max(0, at - overlap), to: at + take))
                at += take
                room -= take
                if room == 0 {
                    if runs.count < parts {
                        runs.append([])
                        room = max(1, share)
                    } else {
                        room = .max
                    }
                }
            } while at < file.size
        }
        return runs.filter { !$0.isEmpty }
    }
}
