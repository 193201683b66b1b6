#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// The node's own key, kept as hex in `<dataDir>/node.key` with mode 0600.
/// Created on first start; its address is the provider address.
public enum NodeKeyFile {
    public enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String, errno: Int32)
        case malformed(path: String)
        case insecurePermissions(path: String, mode: UInt32)
        case cannotCreate(path: String, errno: Int32)

        public var description: String {
            switch self {
            case .unreadable(let path, let e): return "cannot read node key \(path): \(String(cString: strerror(e)))"
            case .malformed(let path): return "node key \(path) does not hold a valid secp256k1 key"
            case .insecurePermissions(let path, let mode):
                return "node key \(path) is readable by others (mode \(String(mode, radix: 8))); run chmod 600 on it"
            case .cannotCreate(let path, let e): return "cannot create node key \(path): \(String(cString: strerror(e)))"
            }
        }
    }

    public static let fileName = "node.key"

    /// Loads the key at `path`, creating it (mode 0600, exclusively) if there is none.
    public static func loadOrCreate(at path: String) throws(Failure) -> PrivateKey {
        if let key = try load(at: path) { return key }
        let key = PrivateKey.generate()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            let err = errno
            // Another process created it between our read and our create: use theirs.
            if err == EEXIST, let key = try load(at: path) { return key }
            throw .cannotCreate(path: path, errno: err)
        }
        defer { close(fd) }
        let text = Array((Hex.encode(key.secretBytes) + "\n").utf8)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == text.count, fsync(fd) == 0 else {
            let err = errno
            unlink(path)
            throw .cannotCreate(path: path, errno: err)
        }
        return key
    }

    /// Loads the key at `path`, or nil when the file does not exist.
    public static func load(at path: String) throws(Failure) -> PrivateKey? {
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT { return nil }
            throw .unreadable(path: path, errno: errno)
        }
        let mode = UInt32(info.st_mode) & 0o777
        if mode & 0o077 != 0 { throw .insecurePermissions(path: path, mode: mode) }
        guard let file = fopen(path, "r") else { throw .unreadable(path: path, errno: errno) }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = fread(&buffer, 1, buffer.count, file)
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
            .trimmingCharacters(in: " \n\r\t")
        guard let key = PrivateKey(hex: text) else { throw .malformed(path: path) }
        return key
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
