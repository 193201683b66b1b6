import Foundation
import SluiceOutputChecks

/// Temporary files for the verbatim search and the review, removed with the value.
final class TempFiles {
    let directory: URL
    private var descriptors: [Int32] = []

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-output-checks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        for fd in descriptors { close(fd) }
        try? FileManager.default.removeItem(at: directory)
    }

    func file(_ bytes: [UInt8], id: Int) throws -> CorpusFile {
        let url = directory.appendingPathComponent(UUID().uuidString)
        try Data(bytes).write(to: url)
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw CocoaError(.fileReadUnknown) }
        descriptors.append(fd)
        return CorpusFile(id: id, descriptor: fd, size: Int64(bytes.count))
    }
}

/// Deterministic pseudo-random bytes (no two runs of 16 alike, in practice).
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    var out: [UInt8] = []
    out.reserveCapacity(count)
    for _ in 0..<count {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        out.append(UInt8(truncatingIfNeeded: state >> 33))
    }
    return out
}
