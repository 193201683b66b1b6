/// Whether a stream of bytes is text: no NUL and no control byte other than tab, line
/// feed, carriage return, form feed, vertical tab and escape. Fed chunk by chunk, so a
/// file that starts as text and turns binary later is binary.
public struct TextTally: Sendable {
    public private(set) var isText = true

    public init() {}

    private static let binary: [Bool] = (0..<256).map { b in
        b < 0x20 && ![0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B].contains(b)
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard isText else { return }
        Self.binary.withUnsafeBufferPointer { table in
            for byte in bytes where table[Int(byte)] {
                isText = false
                return
            }
        }
    }

    /// Whether `prefix` is valid UTF-8, allowing a sequence cut at its end.
    public static func isUTF8(_ prefix: [UInt8]) -> Bool {
        var bytes = prefix[...]
        // Drop a multi-byte sequence the read cut short.
        var tail = 0
        for byte in bytes.reversed().prefix(3) {
            tail += 1
            if byte & 0xC0 != 0x80 {
                let need = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                if need > tail { bytes = bytes.dropLast(tail) }
                break
            }
        }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}
