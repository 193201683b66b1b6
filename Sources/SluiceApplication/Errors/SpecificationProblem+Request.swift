public import SluiceCore
public import SluiceEngine

extension SpecificationProblem {
    /// The refusal a compute start gets, naming the request field the problem is in.
    public var requestError: RequestError {
        func datasetField(_ input: Int) -> String {
            input == 0 ? "dataset.documentId" : "additionalDatasets[\(input - 1)].documentId"
        }
        switch self {
        case .unknownEnvironment(let id):
            return .unknownEnvironment(id, field: "environment")
        case .ownerIsNotAnAddress:
            return .badRequest("consumerAddress must be an address (0x + 40 hex digits)", field: "consumerAddress")
        case .noDataset:
            return .badRequest("a job needs at least one dataset", field: "dataset")
        case .malformedDatasetDID(let input):
            return .badRequest("the dataset DID must be did:op: followed by letters, digits, '-', '_' or '.'", field: datasetField(input))
        case .datasetGivenTwice(let input, let did):
            return .badRequest("the dataset \(did) is given twice", field: datasetField(input))
        case .fileCount(let input):
            return .badRequest("a dataset must have between 1 and 1000 files", field: datasetField(input))
        case .malformedAlgorithmDID:
            return .badRequest("the algorithm DID must be did:op: followed by letters, digits, '-', '_' or '.', and not a dataset's", field: "algorithm.documentId")
        case .rawAlgorithmTooLarge(let limit):
            return RequestError(.payloadTooLarge, "the raw algorithm is larger than \(limit) bytes", field: "algorithm.meta.rawcode")
        case .badEntrypoint:
            return .badRequest("the container entrypoint must be a command of at most 1024 characters", field: "algorithm.meta.container.entrypoint")
        }
    }
}
