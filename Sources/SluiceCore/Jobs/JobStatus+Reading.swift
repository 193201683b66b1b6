/// What a client reads from a status object (the SDK and the CLI share these).
extension JobStatus {
    public var code: JobStatusCode? { JobStatusCode(rawValue: status) }

    /// Terminal: the job will not change again (the seed tests `dateFinished > 0`).
    public var isFinished: Bool {
        if code?.isTerminal == true { return true }
        return dateFinished.flatMap(Double.init).map { $0 > 0 } ?? false
    }

    public var succeeded: Bool { code == .jobFinished && (terminationReason == nil || terminationReason == "completed") }

    /// Why it failed, in a few words, for people.
    public var failureReason: String {
        var parts: [String] = []
        if let terminationReason, terminationReason != "completed" { parts.append(terminationReason) }
        if let exitCode, exitCode != 0 { parts.append("exit code \(exitCode)") }
        if let error, !error.isEmpty { parts.append(error) }
        return parts.joined(separator: ", ")
    }

    public var outputs: [JobResultFile] { results.filter { $0.type == .output } }
    public var logs: [JobResultFile] { results.filter { $0.type != .output } }
}
