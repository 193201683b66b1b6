import Foundation
public import SluiceCore
import SluiceCrypto
public import SluiceEngine
import SluiceLedger

/// Compute start (`POST /api/services/compute`): checks a start request in the
/// contract's order (section 4), each refusal naming its field, then hands the job to
/// the engine, stored in one transaction with its admission (the nonce and the orders
/// that pay for it).
public struct StartCompute: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(_ request: ComputeStartRequest) async throws -> JobStatus {
        // 1. Signature and nonce (the nonce is checked again, atomically, when the job is stored).
        guard let dataset = request.dataset else { throw RequestError.badRequest("dataset is required", field: "dataset") }
        let documentIdText = try text(dataset.documentId, field: "dataset.documentId")
        let signed = try node.verify(request.signed) { $0 + documentIdText }
        try signed.nonce.requireFresh(last: try await node.nonces.lastNonce(of: signed.signer))

        // 2. Environment, room in its queue, and its backend answering.
        let envId = try text(request.environment, field: "environment")
        let environment = try node.config.environment(id: envId, field: "environment")
        try await node.engine.requireRoom(environment: envId)
        try await node.engine.requireAvailable(environment: envId)

        // 3. Datasets resolve; input 0 is a compute service. 4. Their orders pay.
        var inputs: [(field: String, reference: InputReference)] = [("dataset", dataset)]
        if let extra = request.additionalDatasets {
            guard extra.count <= 15 else {
                throw RequestError.badRequest("additionalDatasets must be a list of at most 15 datasets", field: "additionalDatasets")
            }
            for (i, item) in extra.enumerated() { inputs.append(("additionalDatasets[\(i)]", item)) }
        }
        var resolved: [(ddo: DDO, index: Int, field: String, reference: InputReference)] = []
        for input in inputs {
            let (ddo, index) = try await resolve(input.reference, field: input.field)
            if ddo.isAlgorithm {
                throw RequestError.badRequest("\(input.field).documentId is an algorithm, not a dataset", field: "\(input.field).documentId")
            }
            resolved.append((ddo, index, input.field, input.reference))
        }
        let main = resolved[0]
        guard main.ddo.services[main.index].type == .compute else {
            throw RequestError.badRequest("dataset.serviceId must name a compute service", field: "dataset.serviceId")
        }
        var orders: [String] = []
        for r in resolved {
            orders.append(try await verifyOrder(r.reference, ddo: r.ddo, index: r.index, requester: signed.signer,
                                                environment: environment, field: r.field))
        }

        // 5. The algorithm is allowed by the main dataset's compute options.
        guard let algorithmReference = request.algorithm else { throw RequestError.badRequest("algorithm is required", field: "algorithm") }
        let options = main.ddo.services[main.index].compute ?? ComputeOptions()
        let algorithm: JobAlgorithm
        if let meta = algorithmReference.meta {
            guard options.allowRawAlgorithm else {
                throw RequestError.forbidden("dataset \(main.ddo.id) does not allow raw algorithms; use a trusted published one", field: "algorithm.meta")
            }
            algorithm = try rawAlgorithm(meta)
        } else {
            let published = algorithmReference.published
            let (algoDDO, algoIndex) = try await resolve(published, field: "algorithm")
            guard algoDDO.isAlgorithm, let info = algoDDO.metadata.algorithm else {
                throw RequestError.badRequest("algorithm.documentId is not an algorithm", field: "algorithm.documentId")
            }
            orders.append(try await verifyOrder(published, ddo: algoDDO, index: algoIndex, requester: signed.signer,
                                                environment: environment, field: "algorithm"))
            let files = try node.fileCipher.files(of: algoDDO.services[algoIndex], nft: algoDDO.nftAddress)
            let staged = try await checkTrusted(algoDDO, files: files, container: info.container, options: options, dataset: main.ddo)
            guard let code = staged.first else {
                throw RequestError.badRequest("the algorithm's service has no file", field: "algorithm.serviceId")
            }
            // Only the first file runs; the others were fetched for the checksum alone.
            node.stager.discard(Array(staged.dropFirst()))
            algorithm = JobAlgorithm(did: algoDDO.id.text, code: .staged(code), container: info.container, ddo: try json(algoDDO))
        }
        // Staged bytes belong to the engine once the job is stored; until then, to this start.
        var submitted = false
        defer { if !submitted, case .staged(let file) = algorithm.code { node.stager.discard([file]) } }
        // 6. The container names its image digest.
        guard algorithm.container.checksum.hasPrefix("sha256:") else {
            throw RequestError.badRequest("algorithm container checksum must start with sha256:", field: "algorithm.container.checksum")
        }

        var jobInputs: [JobInput] = []
        var userdata: [String: JSONValue] = [:]
        for r in resolved {
            let files = try node.fileCipher.files(of: r.ddo.services[r.index], nft: r.ddo.nftAddress)
            jobInputs.append(JobInput(did: r.ddo.id.text, files: files, ddo: try json(r.ddo),
                                      outputPolicy: try outputPolicy(of: r.ddo, index: r.index, field: r.field),
                                      owner: r.ddo.nft.owner))
            if let data = r.reference.userdata, !data.isNull { userdata[r.ddo.id.bareHex] = data }
        }
        if let data = algorithmReference.userdata, !data.isNull { userdata["algorithm"] = data }
        let specification = JobSpecification(
            owner: signed.signerText, environment: envId, agreementId: orders[0], inputs: jobInputs,
            algorithm: algorithm, algoCustomData: try customData(algorithmReference.algocustomdata ?? request.algocustomdata),
            userdata: userdata.isEmpty ? nil : .object(userdata))
        // The environment's room is counted again in the admitting transaction: across
        // replicas, only the store sees every other start.
        let admission = JobAdmission(authorization: Authorization(signer: signed.signer, nonce: signed.nonce), orders: orders,
                                     room: await node.engine.room(environment: envId))
        let jobs = node.stores.jobs
        let status: JobStatus
        do {
            status = try await node.engine.submit(specification) { try await jobs.insert($0, admitting: admission) }
        } catch AdmissionError.environmentFull(let environment) {
            throw RequestError(.tooManyRequests, AdmissionError.environmentFull(environment: environment).description, field: "environment")
        } catch let error as AdmissionError {
            // Another start spent the order between its check above and this transaction.
            throw RequestError.conflict(error.description, field: "transferTxId")
        } catch let problem as SpecificationProblem {
            throw problem.requestError
        }
        submitted = true
        return status
    }

    // MARK: - Steps

    func resolve(_ reference: InputReference, field: String) async throws -> (DDO, Int) {
        try await ResolveInput(node: node)(reference, field: field)
    }

    /// The transaction id of the order paying for this input, once verified.
    func verifyOrder(_ reference: InputReference, ddo: DDO, index: Int, requester: EthereumAddress,
                     environment: ComputeEnvironment, field: String) async throws -> String {
        let txField = "\(field).transferTxId"
        let tx = try text(reference.transferTxId, field: txField)
        let lookup: LedgerOrder?
        do {
            lookup = try await node.order(tx)
        } catch let error as RequestError where error.field == nil {
            // A ledger does not know which input it answers for: name the field here.
            throw RequestError(error.kind, "\(txField): \(error.message)", field: txField)
        }
        guard let found = lookup else {
            throw RequestError.badRequest("\(txField): no order \(tx) is known", field: txField)
        }
        let (order, original) = (found.order, found.original)
        let context = OrderVerifier.Context(ddo: ddo, serviceIndex: index, requester: requester, environment: environment, field: txField)
        // The asset's state was checked when it was resolved.
        try node.orderVerifier.verifyOrder(order, original: original, context: context)
        try node.orderVerifier.verifyFee(order.providerFee, context: context)
        return order.transactionId
    }

    /// A published algorithm must be trusted by the dataset with the checksums its files
    /// and container section have now, and its publisher allowed when a list is set.
    /// The files are fetched once, into the staging area, and the staged bytes are what
    /// is hashed here and what the job runs: a server cannot answer the check with one
    /// file and the job with another.
    func checkTrusted(_ algo: DDO, files: [DataSource], container: ContainerSection, options: ComputeOptions,
                      dataset: DDO) async throws -> [StagedFile] {
        guard let trusted = options.publisherTrustedAlgorithms.first(where: { $0.did == algo.id.text }) else {
            throw RequestError.forbidden("algorithm \(algo.id) is not trusted by dataset \(dataset.id)", field: "algorithm.documentId")
        }
        if !options.publisherTrustedAlgorithmPublishers.isEmpty {
            let owner = EthereumAddress(algo.nft.owner)
            guard options.publisherTrustedAlgorithmPublishers.contains(where: { EthereumAddress($0) == owner }) else {
                throw RequestError.forbidden("the algorithm's publisher is not among the dataset's trusted publishers", field: "algorithm.documentId")
            }
        }
        guard AlgorithmChecksums.container(container) == trusted.containerSectionChecksum else {
            throw RequestError.forbidden("the algorithm's container section changed after it was trusted (containerSectionChecksum mismatch)", field: "algorithm.documentId")
        }
        let staged = try await node.stager.stage(files, field: "algorithm")
        guard AlgorithmChecksums.files(staged) == trusted.filesChecksum else {
            node.stager.discard(staged)
            throw RequestError.forbidden("the algorithm's files changed after it was trusted (filesChecksum mismatch)", field: "algorithm.documentId")
        }
        return staged
    }

    /// The owner's output rules for this input (`compute.sluice.outputPolicy` of the
    /// service it uses); a malformed policy refuses the start rather than run on weaker rules.
    func outputPolicy(of ddo: DDO, index: Int, field: String) throws -> OutputPolicy? {
        do {
            return try ddo.services[index].compute?.sluiceOptions()?.outputPolicy
        } catch let problem as SluiceOptionsProblem {
            throw RequestError.badRequest("dataset \(ddo.id) has an invalid output policy (\(problem.description)); its owner must correct it",
                                          field: "\(field).documentId")
        }
    }

    func rawAlgorithm(_ meta: RawAlgorithm) throws -> JobAlgorithm {
        guard let container = meta.container else {
            throw RequestError.badRequest("algorithm.meta.container is required", field: "algorithm.meta.container")
        }
        let section = ContainerSection(
            entrypoint: try text(container.entrypoint, field: "algorithm.meta.container.entrypoint"),
            image: try text(container.image, field: "algorithm.meta.container.image"),
            tag: try text(container.tag, field: "algorithm.meta.container.tag"),
            checksum: container.checksum ?? "")
        // Its size is the engine's rule (`SpecificationCheck`), within the body limit.
        if let raw = meta.rawcode, !raw.isEmpty {
            return JobAlgorithm(code: .raw(raw), container: section)
        }
        if let url = meta.url, !url.isEmpty {
            let source = try FileObject.parse(.object(["type": .string("url"), "url": .string(url)]), path: "algorithm.meta")
            return JobAlgorithm(code: .file(source), container: section)
        }
        throw RequestError.badRequest("algorithm.meta needs rawcode or url", field: "algorithm.meta")
    }

    /// `algocustomdata` as a JSON object, or the text of one (ocean-lib sends either).
    func customData(_ value: JSONValue?) throws -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        if let text = value.stringValue {
            if text.isEmpty { return nil }
            guard let parsed = try? JSONValue.parse(Array(text.utf8)), parsed.objectValue != nil else {
                throw RequestError.badRequest("algocustomdata must be a JSON object", field: "algorithm.algocustomdata")
            }
            return parsed
        }
        guard value.objectValue != nil else {
            throw RequestError.badRequest("algocustomdata must be a JSON object", field: "algorithm.algocustomdata")
        }
        return value
    }

    // MARK: - Helpers

    func text(_ value: String?, field: String) throws(RequestError) -> String {
        guard let value, !value.isEmpty else { throw .badRequest("\(field) is required", field: field) }
        return value
    }

    func json(_ ddo: DDO) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(ddo))
    }
}

/// The checksums a dataset pins a trusted algorithm with (contract section 4).
public enum AlgorithmChecksums {
    /// sha256 hex of `entrypoint + checksum`.
    public static func container(_ c: ContainerSection) -> String { SHA256Hex.of(c.entrypoint + c.checksum) }

    /// The same of files already staged.
    public static func files(_ staged: [StagedFile]) -> String { staged.map(\.sha256).joined() }

    /// The lowercase sha256 hex digests of the files' contents, concatenated in file order.
    public static func files(_ files: [DataSource], inspector: SourceInspector) async throws -> String {
        var out = ""
        for (i, file) in files.enumerated() {
            out += try await inspector.inspect(file, field: "algorithm file \(i)").sha256
        }
        return out
    }
}
