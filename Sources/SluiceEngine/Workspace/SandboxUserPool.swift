import Foundation

/// The uids jobs run as on a root node: each running job gets one of its own, from a
/// range no account uses, so two jobs never share a process count (`RLIMIT_NPROC` counts
/// per uid, and a fork bomb in one job must not stop another from starting) or a file.
/// The gid is the same number: a private group. A node that is not root runs every job
/// as itself and cannot separate them this way.
struct SandboxUserPool: Sendable {
    let range: ClosedRange<UInt32>
    private var inUse: Set<UInt32> = []
    private var next: UInt32

    init(range: ClosedRange<UInt32>) {
        self.range = range
        self.next = range.lowerBound
    }

    /// Whether uids are handed out at all (the node is root).
    static var separatesJobs: Bool { getuid() == 0 }

    /// A free user, or nil when every uid of the range runs a job.
    mutating func lease() -> SandboxUser? {
        guard Self.separatesJobs else { return SandboxUser(uid: nil, gid: getgid()) }
        guard inUse.count < range.count else { return nil }
        // Round-robin, so a uid is not reused the moment a job ends.
        while inUse.contains(next) { next = next == range.upperBound ? range.lowerBound : next + 1 }
        let uid = next
        inUse.insert(uid)
        next = uid == range.upperBound ? range.lowerBound : uid + 1
        return SandboxUser(uid: uid, gid: uid)
    }

    mutating func release(_ user: SandboxUser) {
        if let uid = user.uid { inUse.remove(uid) }
    }

    /// A user that owns nothing, for checks that must hold for every job's uid: what it
    /// may reach, any job may (the others' permission bits).
    static var anyJob: SandboxUser {
        separatesJobs ? SandboxUser(uid: 4_294_967_294, gid: 4_294_967_294) : SandboxUser(uid: nil, gid: getgid())
    }

    /// The first uid of the range that an account on this host already has, if any.
    static func accountInside(_ range: ClosedRange<UInt32>) -> UInt32? {
        setpwent()
        defer { endpwent() }
        while let entry = getpwent() {
            if range.contains(entry.pointee.pw_uid) { return entry.pointee.pw_uid }
        }
        return nil
    }
}
