import Foundation

/// A replica's name among those sharing a store: `host:pid`, unique while it runs.
public enum ReplicaName {
    public static var current: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Whether `name` is a process of this host that is no longer running: its holds
    /// need not wait for their expiry (a node restarted on the same host takes its
    /// jobs back at once). A name of another host, or a live pid, is not known gone.
    public static func isGoneFromThisHost(_ name: String) -> Bool {
        guard let colon = name.lastIndex(of: ":"), let pid = Int32(name[name.index(after: colon)...]), pid > 0,
              name[..<colon] == ProcessInfo.processInfo.hostName, pid != ProcessInfo.processInfo.processIdentifier else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
