public import SluiceCore

/// An output the checks judge: its name, and the file opened (nil when the node could
/// not open it safely, which withholds it).
public struct OutputCandidate: Sendable {
    public let filename: String
    public let size: Int64
    public let file: CorpusFile?
    /// Withheld before any rule reads it (the caller's limit on files, say).
    public let refusal: Withholding?

    public init(filename: String, size: Int64, file: CorpusFile?, refusal: Withholding? = nil) {
        self.filename = filename
        self.size = size
        self.file = file
        self.refusal = refusal
    }
}

/// An input the verbatim check compares outputs with, and how a sentence names it.
public struct InputCandidate: Sendable {
    public let name: String
    public let file: CorpusFile

    public init(name: String, file: CorpusFile) {
        self.name = name
        self.file = file
    }
}

/// The output checks of status 50 over one job's outputs: the size, type and tabular
/// rules file by file, then the verbatim search over what is left, then the total size
/// in the outputs' order. The first rule a file breaks withholds it.
public enum OutputReview {
    public static func review(outputs: [OutputCandidate], inputs: [InputCandidate],
                              policy: EffectiveOutputPolicy) -> [OutputDecision] {
        var withheld: [Int: Withholding] = [:]
        var types: [Int: OutputFileType] = [:]
        for (i, output) in outputs.enumerated() {
            if let refusal = output.refusal {
                withheld[i] = refusal
                continue
            }
            guard let file = output.file else {
                withheld[i] = Withholding(.unreadable, "withheld: the node could not open it safely to check it")
                continue
            }
            if let w = OutputRules.fileSize(output.size, policy: policy) { withheld[i] = w; continue }
            guard let facts = ContentFacts.gather(file, filename: output.filename, policy: policy) else {
                withheld[i] = Withholding(.unreadable, "withheld: the node could not read it to check it")
                continue
            }
            types[i] = facts.type
            if let w = rules(output.filename, facts, policy) { withheld[i] = w }
        }
        if policy.verbatimWindowBytes != nil {
            verbatim(outputs, inputs, policy, withheld: &withheld)
        }
        var decisions: [OutputDecision] = []
        var released: Int64 = 0
        for (i, output) in outputs.enumerated() {
            var reason = withheld[i]
            if reason == nil, let w = OutputRules.totalSize(output.size, releasedSoFar: released, policy: policy) { reason = w }
            if let reason {
                decisions.append(OutputDecision(filename: output.filename, filesize: output.size, detectedType: types[i],
                                                released: false, rule: reason.rule, reason: reason.reason))
            } else {
                released += output.size
                decisions.append(.release(output.filename, size: output.size, type: types[i]))
            }
        }
        return decisions
    }

    /// The type and table rules, in order; the first broken one.
    static func rules(_ filename: String, _ facts: ContentFacts, _ policy: EffectiveOutputPolicy) -> Withholding? {
        if let w = OutputRules.type(facts.type, policy: policy) { return w }
        if let w = OutputRules.nameMatchesContent(filename, detected: facts.type) { return w }
        if let w = OutputRules.unreadableTable(facts.unreadableTable, policy: policy) { return w }
        guard let table = facts.table else { return nil }
        return OutputRules.bannedColumns(table, policy: policy)
            ?? OutputRules.rows(table, policy: policy)
            ?? OutputRules.cellCounts(table, policy: policy)
    }

    static func verbatim(_ outputs: [OutputCandidate], _ inputs: [InputCandidate], _ policy: EffectiveOutputPolicy,
                         withheld: inout [Int: Withholding]) {
        guard let k = policy.verbatimWindowBytes else { return }
        var candidates: [CorpusFile] = []
        for (i, output) in outputs.enumerated() where withheld[i] == nil {
            if let file = output.file { candidates.append(CorpusFile(id: i, descriptor: file.descriptor, size: file.size)) }
        }
        let sources = inputs.enumerated().map { CorpusFile(id: $0.offset, descriptor: $0.element.file.descriptor, size: $0.element.file.size) }
        let findings = VerbatimSearch(window: k).run(inputs: sources, outputs: candidates)
        for file in candidates {
            let copied = findings.copies[file.id].map { inputs[$0].name }
            if let w = OutputRules.verbatim(copiedInput: copied, undecided: findings.undecided[file.id], policy: policy) {
                withheld[file.id] = w
            }
        }
    }
}
