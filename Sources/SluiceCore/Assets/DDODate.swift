import Foundation

/// The timestamps of a DDO (`metadata.created`, `nft.created`, `event.datetime`):
/// ISO 8601 in UTC to the second, as Ocean writes them.
public enum DDODate {
    public static func string(unixSeconds seconds: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    public static func now() -> String { string(unixSeconds: Int(Date().timeIntervalSince1970)) }
}
