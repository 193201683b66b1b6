import Foundation

/// Sluice's key in a compute service's options (`services[i].compute.sluice`), which
/// Ocean's tools leave alone: `{"outputPolicy": {...}}` (see `OutputPolicy`).
public struct SluiceComputeOptions: Sendable, Equatable, Codable {
    public var outputPolicy: OutputPolicy?

    public init(outputPolicy: OutputPolicy? = nil) { self.outputPolicy = outputPolicy }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case outputPolicy
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self, object: "compute.sluice (it takes outputPolicy)")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outputPolicy = try c.decodeIfPresent(OutputPolicy.self, forKey: .outputPolicy)
    }
}

/// Why a DDO's `compute.sluice` could not be read, in one sentence naming the key.
public struct SluiceOptionsProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key path inside `compute.sluice` and what is wrong there.
    public let detail: String
    public var description: String { "compute.sluice: \(detail)" }
}

extension ComputeOptions {
    /// The service's Sluice options, read strictly; nil when it has none.
    /// Throws `SluiceOptionsProblem`.
    public func sluiceOptions() throws -> SluiceComputeOptions? {
        guard let sluice, !sluice.isNull else { return nil }
        do {
            return try JSONDecoder().decode(SluiceComputeOptions.self, from: JSONEncoder().encode(sluice))
        } catch let error as DecodingError {
            throw SluiceOptionsProblem(detail: DecodingProblem.sentence(error))
        } catch {
            throw SluiceOptionsProblem(detail: "could not be read")
        }
    }
}

/// One sentence for a `DecodingError`: the key path and what is wrong there.
public enum DecodingProblem {
    public static func sentence(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { key in key.intValue.map { index in "[\(index)]" } ?? ".\(key.stringValue)" }.joined().trimmingPrefixDot
        }
        switch error {
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)) has the wrong type"
        @unknown default:
            return "malformed"
        }
    }
}

extension String {
    fileprivate var trimmingPrefixDot: String { hasPrefix(".") ? String(dropFirst()) : self }
}
