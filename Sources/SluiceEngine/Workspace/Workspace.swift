public import Foundation

/// One job's directory in the node's data directory, laid out as contract section 5
/// (each part is bind-mounted at `/data/<part>` in the sandbox):
///
///     <root>/inputs/<did>/<n>, inputs/algoCustomData.json, inputs/userdata.json   read-only
///     <root>/ddos/<did>                                      read-only
///     <root>/transformations/algorithm                       read-only
///     <root>/outputs/                                        writable by the sandbox uid
///     <root>/logs/                                           sticky: the sandbox may add
///                                                            files but not touch the node's logs
public struct Workspace: Sendable, Equatable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public var inputs: URL { root.appendingPathComponent("inputs") }
    public var ddos: URL { root.appendingPathComponent("ddos") }
    public var transformations: URL { root.appendingPathComponent("transformations") }
    public var algorithm: URL { transformations.appendingPathComponent("algorithm") }
    public var outputs: URL { root.appendingPathComponent("outputs") }
    public var logs: URL { root.appendingPathComponent("logs") }
    public var algorithmLog: URL { logs.appendingPathComponent("algorithm.log") }
    public var configureLog: URL { logs.appendingPathComponent("configure.log") }
    public var publishLog: URL { logs.appendingPathComponent("publish.log") }

    /// Creates the directories. `sandboxUser` owns `outputs` when the node runs as root.
    func create(sandboxUser: SandboxUser) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        for dir in [inputs, ddos, transformations] {
            try fm.createDirectory(at: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        }
        try fm.createDirectory(at: outputs, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        try fm.createDirectory(at: logs, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o1777])
        // createDirectory's attributes pass through the umask; set the modes exactly.
        chmod(root.path, 0o711)
        chmod(logs.path, 0o1777)
        // The node's logs exist, root-owned, before the algorithm runs: in the sticky
        // logs directory it can then neither replace them nor plant a link or FIFO there.
        for log in [algorithmLog, configureLog, publishLog] {
            guard FileManager.default.createFile(atPath: log.path, contents: nil, attributes: [.posixPermissions: 0o644]) else {
                throw WorkspaceError.cannotWriteLog
            }
        }
        if let uid = sandboxUser.uid {
            guard chown(outputs.path, uid, sandboxUser.gid) == 0 else { throw WorkspaceError.cannotHandOver }
        } else {
            chmod(outputs.path, 0o755)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// The directory name of a DID inside the workspace: the DID without `did:op:`.
    /// nil when that name could escape its directory or is otherwise unsafe.
    public static func directoryName(of did: String) -> String? {
        let name = did.hasPrefix("did:op:") ? String(did.dropFirst("did:op:".count)) : did
        guard (1...128).contains(name.utf8.count), !name.hasPrefix("."),
              name != "algoCustomData.json", name != "userdata.json",
              name.utf8.allSatisfy({ $0 < 128 && (isalnum(Int32($0)) != 0 || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")) })
        else { return nil }
        return name
    }
}

/// Who a job's algorithm runs as: on a root node, a uid of its own from the engine's
/// `SandboxUserPool`; elsewhere the node's own user.
public struct SandboxUser: Sendable, Equatable {
    /// nil when the node is not root and cannot change users.
    public let uid: uid_t?
    public let gid: gid_t

    /// Whether this user may walk down to `path`: bubblewrap mounts the workspace and
    /// runtime as the sandbox uid, so every directory above them must be searchable.
    func canReach(_ path: String) -> Bool {
        guard let uid else { return true }
        var current = URL(fileURLWithPath: path).standardizedFileURL
        while true {
            var st = stat()
            guard stat(current.path, &st) == 0 else { return false }
            let searchable = st.st_uid == uid ? st.st_mode & 0o100 != 0
                : st.st_gid == gid ? st.st_mode & 0o010 != 0 : st.st_mode & 0o001 != 0
            if !searchable { return false }
            if current.path == "/" { return true }
            current = current.deletingLastPathComponent()
        }
    }
}

enum WorkspaceError: Error, CustomStringConvertible {
    case cannotHandOver
    case cannotWriteLog

    var description: String {
        switch self {
        case .cannotHandOver: return "the node could not give the outputs directory to the sandbox user"
        case .cannotWriteLog: return "the node could not write the job's logs"
        }
    }
}
