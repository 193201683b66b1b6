import CLZMA

/// Decompression of the `.xz` streams Ocean's clients write (Python's `lzma.compress`),
/// through the system's liblzma, with a cap on the output.
public enum XZ {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `LZMA_CONCATENATED` (a `UINT32_C` macro, which Swift does not import).
    static let concatenated: UInt32 = 0x08

    static func decompress(_ input: [UInt8], maxOutput: Int) throws -> [UInt8] {
        var stream = lzma_stream()
        // Python may write several streams; memlimit 64 MiB.
        guard lzma_auto_decoder(&stream, 64 << 20, concatenated) == LZMA_OK else {
            throw Failure(description: "the xz decoder cannot start")
        }
        defer { lzma_end(&stream) }
        return try run(&stream, input, maxOutput: maxOutput)
    }

    /// An `.xz` stream as Python's `lzma.compress` writes it (preset 6, CRC64), for publishing.
    public static func compress(_ input: [UInt8]) throws -> [UInt8] {
        var stream = lzma_stream()
        guard lzma_easy_encoder(&stream, 6, LZMA_CHECK_CRC64) == LZMA_OK else {
            throw Failure(description: "the xz encoder cannot start")
        }
        defer { lzma_end(&stream) }
        return try run(&stream, input, maxOutput: Int.max)
    }

    static func run(_ stream: inout lzma_stream, _ input: [UInt8], maxOutput: Int) throws -> [UInt8] {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        return try input.withUnsafeBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = inBuffer.count
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = outBuffer.count
                    return lzma_code(&stream, LZMA_FINISH)
                }
                output += chunk[0..<(chunk.count - stream.avail_out)]
                guard output.count <= maxOutput else { throw Failure(description: "the document is larger than \(maxOutput) bytes") }
                switch status {
                case LZMA_STREAM_END: return output
                case LZMA_OK: continue
                default: throw Failure(description: "not a valid xz stream (liblzma status \(status.rawValue))")
                }
            }
        }
    }
}
