import SluiceCore
import SluiceCrypto
import SluiceLedger

/// Compute initialize (`POST /api/services/initializeCompute`, contract section 4): for
/// each input, the order that still pays (`validOrder`), or the datatoken and a signed
/// provider fee to order with, or both when the order is good but its fee must be renewed.
public struct InitializeCompute: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(_ p: RequestParameters) async throws -> JSONValue {
        let (consumer, _) = try p.address("consumerAddress")
        guard let compute = p["compute"]?.objectValue else {
            throw RequestError.badRequest("compute is required: {\"env\": ..., \"validUntil\": ...}", field: "compute")
        }
        guard let envId = compute["env"]?.stringValue, !envId.isEmpty else {
            throw RequestError.badRequest("compute.env is required", field: "compute.env")
        }
        let environment = try node.config.environment(id: envId, field: "compute.env")
        guard let validUntilValue = compute["validUntil"], let validUntil64 = validUntilValue.int64Value ?? validUntilValue.doubleValue.map({ Int64($0) }),
              let validUntil = Int(exactly: validUntil64) else {
            throw RequestError.badRequest("compute.validUntil must be a Unix time in seconds", field: "compute.validUntil")
        }
        let now = node.now()
        guard validUntil > now else {
            throw RequestError.badRequest("compute.validUntil is in the past", field: "compute.validUntil")
        }
        guard let datasets = p["datasets"]?.arrayValue, !datasets.isEmpty, datasets.count <= 16 else {
            throw RequestError.badRequest("datasets must be a list of 1 to 16 inputs", field: "datasets")
        }
        var answers: [JSONValue] = []
        for (i, input) in datasets.enumerated() {
            let field = "datasets[\(i)]"
            let (ddo, index) = try await resolve(input, field: field)
            if ddo.isAlgorithm {
                throw RequestError.badRequest("\(field).documentId is an algorithm, not a dataset", field: "\(field).documentId")
            }
            if i == 0 && ddo.services[index].type != .compute {
                throw RequestError.badRequest("\(field).serviceId must name a compute service", field: "\(field).serviceId")
            }
            answers.append(try await answer(for: input, ddo: ddo, index: index, consumer: consumer,
                                            environment: environment, validUntil: validUntil, field: field))
        }
        var result: [String: JSONValue] = ["datasets": .array(answers)]
        if let algorithm = p["algorithm"]?.objectValue, algorithm["meta"] == nil || algorithm["meta"]?.isNull == true {
            let (ddo, index) = try await resolve(.object(algorithm), field: "algorithm")
            guard ddo.isAlgorithm else {
                throw RequestError.badRequest("algorithm.documentId is not an algorithm", field: "algorithm.documentId")
            }
            result["algorithm"] = try await answer(for: .object(algorithm), ddo: ddo, index: index, consumer: consumer,
                                                   environment: environment, validUntil: validUntil, field: "algorithm")
        } else if p["algorithm"] == nil {
            throw RequestError.badRequest("algorithm is required: a published algorithm or {\"meta\": ...}", field: "algorithm")
        }
        return .object(result)
    }

    func resolve(_ input: JSONValue, field: String) async throws -> (DDO, Int) {
        guard let o = input.objectValue else { throw RequestError.badRequest("\(field) must be an object", field: field) }
        return try await ResolveInput(node: node)(o, field: field)
    }

    func answer(for input: JSONValue, ddo: DDO, index: Int, consumer: EthereumAddress, environment: ComputeEnvironment,
                validUntil: Int, field: String) async throws -> JSONValue {
        let service = ddo.services[index]
        let context = OrderVerifier.Context(ddo: ddo, serviceIndex: index, requester: consumer, environment: environment,
                                            field: "\(field).transferTxId")
        var orderStillPays = false
        var feeStillGood = false
        var txId: String?
        if let tx = input["transferTxId"]?.stringValue, !tx.isEmpty, let found = try await node.order(tx) {
            let (order, original) = (found.order, found.original)
            if (try? node.orderVerifier.verifyOrder(order, original: original, context: context)) != nil {
                orderStillPays = true
                txId = order.transactionId
                feeStillGood = (try? node.orderVerifier.verifyFee(order.providerFee, context: context)) != nil
                    && order.providerFee.validUntil >= validUntil
            }
        }
        if orderStillPays && feeStillGood, let txId {
            return .object(["validOrder": .string(txId)])
        }
        guard let datatoken = EthereumAddress(service.datatokenAddress) else {
            throw RequestError.badRequest("\(field): the service has no valid datatoken", field: field)
        }
        let fee = ProviderFees.make(environment: environment, datatoken: datatoken, serviceId: service.id,
                                    validUntil: validUntil, now: node.now(), key: node.providerKey)
        var answer: [String: JSONValue] = [
            "datatoken": .string(datatoken.checksummed),
            "providerFee": fee.json,
        ]
        if orderStillPays, let txId { answer["validOrder"] = .string(txId) }
        return .object(answer)
    }
}
