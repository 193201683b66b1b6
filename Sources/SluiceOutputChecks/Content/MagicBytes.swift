public import SluiceCore

/// The binary formats an output's first bytes identify.
public enum MagicBytes {
    /// The type the first bytes of a file announce; nil when they announce none.
    public static func identify(_ prefix: some Collection<UInt8>) -> OutputFileType? {
        let b = Array(prefix.prefix(16))
        func starts(_ magic: [UInt8]) -> Bool { b.count >= magic.count && Array(b[0..<magic.count]) == magic }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) || starts([0x50, 0x4B, 0x07, 0x08]) { return .zip }
        if starts([0x1F, 0x8B]) { return .gzip }
        if starts(Array("PAR1".utf8)) { return .parquet }
        if starts([0x93]) && b.count >= 6 && Array(b[1..<6]) == Array("NUMPY".utf8) { return .npy }
        if b.count >= 2, b[0] == 0x80, (2...5).contains(b[1]) { return .pickle }
        return nil
    }
}
