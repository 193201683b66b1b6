import Foundation

/// Work that one process at a time may do among those sharing a database (following a
/// chain): PostgreSQL's advisory lock holds it across replicas; a database no other
/// process shares (SQLite) gives it to its one process.
public protocol ExclusiveRole: Sendable {
    /// Whether this process holds the role now.
    var isHeld: Bool { get }

    /// Runs `body` whenever this process holds the role, until cancelled: waits until it
    /// holds it, and cancels `body` when the hold is lost, then waits again.
    func whileHeld(_ body: @escaping @Sendable () async -> Void) async
}

/// The role on a database only this process uses: held while `body` runs.
public final class SoleRole: ExclusiveRole, @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var held = false

    public init() {}

    public var isHeld: Bool { lock.withLock { held } }

    public func whileHeld(_ body: @escaping @Sendable () async -> Void) async {
        lock.withLock { held = true }
        await body()
        lock.withLock { held = false }
    }
}
