public import Foundation
public import Logging

/// `--log-format json`: one JSON object a line, for log shippers:
/// `{"time": "2026-12-02T08:15:50.123Z", "level": "info", "label": "sluice", "message": "...", "requestId": "...", "jobId": "..."}`.
/// Metadata keys become top-level fields (nested values as their text); the line is
/// written with one call, so lines from concurrent requests never interleave.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let write: @Sendable (Data) -> Void

    public init(label: String, write: @escaping @Sendable (Data) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.write = write
    }

    public static let standardError: @Sendable (Data) -> Void = { data in FileHandle.standardError.write(data) }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        write(Self.line(time: Date(), level: level, label: label, message: "\(message)",
                        metadata: explicit.map { self.metadata.merging($0) { $1 } } ?? self.metadata))
    }

    /// One line of the log: the fixed fields, then the metadata, then a newline.
    static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> Data {
        var object: [String: Any] = [:]
        for (key, value) in metadata { object[key] = Self.value(value) }
        object["time"] = Self.timestamp(time)
        object["level"] = level.rawValue
        object["label"] = label
        object["message"] = message
        var data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data(#"{"message":"a log line could not be encoded"}"#.utf8)
        data.append(0x0A)
        return data
    }

    static func value(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(Self.value)
        case .dictionary(let values): return values.mapValues(Self.value)
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
