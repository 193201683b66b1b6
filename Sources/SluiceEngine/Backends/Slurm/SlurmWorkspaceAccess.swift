import Foundation
import SluiceCore

/// Slurm runs every job of an environment as one account (the token's user), not as the
/// per-job uid the engine leases: the batch script cannot change users. So, before the
/// submit, the node (root) hands that account what the job writes: `outputs`, the
/// bubblewrap staging directory with its arguments file, and the directory the batch
/// output goes to. Everything else stays as the engine made it (root-owned, readable;
/// `logs` is sticky and world-writable). Jobs stay apart all the same: each runs in its
/// own namespaces and sees only its own workspace.
enum SlurmWorkspaceAccess {
    /// The account's uid and gid on this host (compute nodes must map the same name to
    /// the same ids, as clusters sharing a directory do); nil when it has none.
    static func account(named name: String) -> SandboxUser? {
        guard let entry = getpwnam(name) else { return nil }
        return SandboxUser(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    static func handOver(_ workspace: Workspace, to account: SandboxUser) throws {
        guard let uid = account.uid else { throw SlurmWorkspaceError.cannotHandOver }
        let staging = workspace.root.appendingPathComponent(WorkspaceMounts.directory)
        let output = workspace.root.appendingPathComponent(SlurmBatchJob.directory)
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SlurmWorkspaceError.cannotHandOver
        }
        let owned = [workspace.outputs.path, staging.path,
                     staging.appendingPathComponent(WorkspaceMounts.argumentsFile).path, output.path]
        for path in owned where chown(path, uid, account.gid) != 0 {
            throw SlurmWorkspaceError.cannotHandOver
        }
    }

    /// Removes the output directory once its contents are in algorithm.log.
    static func removeOutput(of workspace: Workspace) {
        try? FileManager.default.removeItem(at: workspace.root.appendingPathComponent(SlurmBatchJob.directory))
    }
}

enum SlurmWorkspaceError: Error, CustomStringConvertible {
    case cannotHandOver

    var description: String {
        "the node could not give the job's workspace to the Slurm user (the node must run as root, or as that user)"
    }
}
