import SluiceCore

/// What makes a job specification unacceptable, in the engine's terms. The application
/// layer says which request field each one is about (`SpecificationProblem+Request`).
public enum SpecificationProblem: Error, Sendable, Equatable {
    case unknownEnvironment(String)
    case ownerIsNotAnAddress
    case noDataset
    /// `input` counts from 0, the main dataset.
    case malformedDatasetDID(input: Int)
    case datasetGivenTwice(input: Int, did: String)
    case fileCount(input: Int)
    case malformedAlgorithmDID
    case rawAlgorithmTooLarge(limit: Int64)
    case badEntrypoint
}

/// Checks a job specification before it is accepted.
enum SpecificationCheck {
    static func check(_ spec: JobSpecification, environments: [String: ComputeEnvironment],
                      maxSourceBytes: Int64) throws(SpecificationProblem) -> ComputeEnvironment {
        guard let environment = environments[spec.environment] else { throw .unknownEnvironment(spec.environment) }
        guard EthereumAddress(spec.owner) != nil else { throw .ownerIsNotAnAddress }
        guard !spec.inputs.isEmpty else { throw .noDataset }
        var names = Set<String>()
        for (index, input) in spec.inputs.enumerated() {
            guard let name = Workspace.directoryName(of: input.did) else { throw .malformedDatasetDID(input: index) }
            guard names.insert(name).inserted else { throw .datasetGivenTwice(input: index, did: input.did) }
            guard !input.files.isEmpty, input.files.count <= 1000 else { throw .fileCount(input: index) }
        }
        let algorithm = spec.algorithm
        if let did = algorithm.did {
            guard let name = Workspace.directoryName(of: did), !names.contains(name) else { throw .malformedAlgorithmDID }
        }
        if case .raw(let code) = algorithm.code, code.utf8.count > maxSourceBytes {
            throw .rawAlgorithmTooLarge(limit: maxSourceBytes)
        }
        let entrypoint = algorithm.container.entrypoint
        guard !Entrypoint.command(entrypoint).isEmpty, entrypoint.utf8.count <= 1024 else { throw .badEntrypoint }
        return environment
    }
}
