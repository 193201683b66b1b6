import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Named wallets as keystore files (`<name>.json`, mode 0600) in one directory (0700).
public struct WalletDirectory: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// `$SLUICE_WALLET_DIR`, else `~/.sluice/wallets`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> WalletDirectory {
        if let dir = environment["SLUICE_WALLET_DIR"], !dir.isEmpty { return WalletDirectory(url: URL(fileURLWithPath: dir)) }
        return WalletDirectory(url: FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".sluice/wallets"))
    }

    public struct Entry: Sendable, Equatable {
        public let name: String
        public let address: String
        public let path: String
    }

    /// A wallet name or a path to a keystore file.
    public func file(for nameOrPath: String) -> URL {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") { return URL(fileURLWithPath: nameOrPath) }
        return url.appendingPathComponent(nameOrPath + ".json")
    }

    /// Encrypts `wallet` into a new file for `name`; never overwrites one.
    @discardableResult
    public func save(_ wallet: Wallet, name: String, password: String, scryptN: Int = Keystore.defaultScryptN) throws(ClientError) -> URL {
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !name.hasPrefix(".") else {
            throw .invalidInput("A wallet name uses letters, digits, '-', '_' and '.', up to 64 characters.")
        }
        guard !password.isEmpty else { throw .invalidInput("The wallet password must not be empty.") }
        let data = try Keystore.encrypt(wallet, password: password, scryptN: scryptN)
        let file = self.file(for: name)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .file(path: url.path, reason: "cannot create the wallet directory")
        }
        // open(O_EXCL, 0600): the file is never readable by others, not even for a moment.
        let fd = open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw .invalidInput("A wallet named \(name) already exists (\(file.path)).") }
            throw .file(path: file.path, reason: String(cString: strerror(errno)))
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            throw .file(path: file.path, reason: "the write failed")
        }
        return file
    }

    /// Decrypts the wallet `nameOrPath` names.
    public func load(_ nameOrPath: String, password: String) throws(ClientError) -> Wallet {
        let file = self.file(for: nameOrPath)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw .wallet("No wallet \(nameOrPath): \(file.path) does not exist or cannot be read.")
        }
        return try Keystore.decrypt(data, password: password, name: nameOrPath)
    }

    /// The wallets in the directory, by name, with their addresses (read without a password).
    public func list() -> [Entry] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            let path = url.appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path), let address = Keystore.address(in: data) else { return nil }
            return Entry(name: String(name.dropLast(5)), address: address, path: path)
        }
    }
}
