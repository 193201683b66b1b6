import SluiceCore

/// Checks a job specification before it is accepted; each failure names the field.
enum SpecificationCheck {
    static func check(_ spec: JobSpecification, environments: [String: ComputeEnvironment],
                      maxSourceBytes: Int64) throws -> ComputeEnvironment {
        guard let environment = environments[spec.environment] else {
            throw RequestError.notFound("there is no compute environment \"\(spec.environment.prefix(64))\" on this node", field: "environment")
        }
        guard EthereumAddress(spec.owner) != nil else {
            throw RequestError.badRequest("consumerAddress must be an address (0x + 40 hex digits)", field: "consumerAddress")
        }
        guard !spec.inputs.isEmpty else {
            throw RequestError.badRequest("a job needs at least one dataset", field: "dataset")
        }
        var names = Set<String>()
        for (index, input) in spec.inputs.enumerated() {
            let field = index == 0 ? "dataset.documentId" : "additionalDatasets[\(index - 1)].documentId"
            guard let name = Workspace.directoryName(of: input.did) else {
                throw RequestError.badRequest("the dataset DID must be did:op: followed by letters, digits, '-', '_' or '.'", field: field)
            }
            guard names.insert(name).inserted else {
                throw RequestError.badRequest("the dataset \(input.did) is given twice", field: field)
            }
            guard !input.files.isEmpty, input.files.count <= 1000 else {
                throw RequestError.badRequest("a dataset must have between 1 and 1000 files", field: field)
            }
        }
        let algorithm = spec.algorithm
        if let did = algorithm.did {
            guard let name = Workspace.directoryName(of: did), !names.contains(name) else {
                throw RequestError.badRequest("the algorithm DID must be did:op: followed by letters, digits, '-', '_' or '.', and not a dataset's", field: "algorithm.documentId")
            }
        }
        if case .raw(let code) = algorithm.code, code.utf8.count > maxSourceBytes {
            throw RequestError(.payloadTooLarge, "the raw algorithm is larger than \(maxSourceBytes) bytes", field: "algorithm.meta.rawcode")
        }
        let entrypoint = algorithm.container.entrypoint
        guard !Entrypoint.command(entrypoint).isEmpty, entrypoint.utf8.count <= 1024 else {
            throw RequestError.badRequest("the container entrypoint must be a command of at most 1024 characters", field: "algorithm.meta.container.entrypoint")
        }
        return environment
    }
}
