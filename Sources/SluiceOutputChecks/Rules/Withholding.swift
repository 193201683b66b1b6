public import SluiceCore

/// Why one output is not released: its rule and one sentence, which never quotes the
/// file's content.
public struct Withholding: Sendable, Equatable {
    public let rule: OutputRule
    public let reason: String

    public init(_ rule: OutputRule, _ reason: String) {
        self.rule = rule
        self.reason = reason
    }
}
