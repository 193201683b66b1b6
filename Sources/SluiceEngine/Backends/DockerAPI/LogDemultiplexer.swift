/// Undoes the Docker log framing of a container without a TTY: each frame is an 8-byte
/// header (stream: 0 stdin, 1 stdout, 2 stderr; three zero bytes; big-endian payload
/// length) followed by the payload. Frames may be split anywhere across chunks.
/// stdout and stderr go to `algorithm.log` in the order the engine recorded them.
struct LogDemultiplexer {
    private var pending: [UInt8] = []
    private let output: ([UInt8]) -> Void

    init(output: @escaping ([UInt8]) -> Void) { self.output = output }

    mutating func feed(_ chunk: [UInt8]) {
        pending.append(contentsOf: chunk)
        var offset = 0
        while pending.count - offset >= 8 {
            let stream = pending[offset]
            let length = pending[(offset + 4)..<(offset + 8)].reduce(0) { $0 << 8 | Int($1) }
            guard stream <= 2, pending[offset + 1] == 0, pending[offset + 2] == 0, pending[offset + 3] == 0 else {
                // Not framed (an engine that sends raw output): pass everything through.
                output(Array(pending[offset...]))
                pending = []
                return
            }
            guard pending.count - offset - 8 >= length else { break }
            if length > 0 { output(Array(pending[(offset + 8)..<(offset + 8 + length)])) }
            offset += 8 + length
        }
        if offset > 0 { pending.removeFirst(offset) }
    }

    /// Whatever is left of an incomplete frame when the stream ends.
    mutating func finish() {
        if pending.count > 8 { output(Array(pending[8...])) }
        pending = []
    }
}
