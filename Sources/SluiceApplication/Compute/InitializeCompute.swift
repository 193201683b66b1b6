public import SluiceCore
import SluiceCrypto
import SluiceLedger

/// Compute initialize (`POST /api/services/initializeCompute`, contract section 4): for
/// each input, the order that still pays (`validOrder`), or the datatoken and a signed
/// provider fee to order with, or both when the order is good but its fee must be renewed.
public struct InitializeCompute: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(_ request: InitializeComputeRequest) async throws -> InitializeComputeAnswer {
        guard let consumerText = request.consumerAddress else {
            throw RequestError.badRequest("consumerAddress is required", field: "consumerAddress")
        }
        guard let consumer = EthereumAddress(consumerText) else {
            throw RequestError.badRequest("consumerAddress must be an Ethereum address: 0x followed by 40 hex digits", field: "consumerAddress")
        }
        guard let compute = request.compute else {
            throw RequestError.badRequest("compute is required: {\"env\": ..., \"validUntil\": ...}", field: "compute")
        }
        guard let envId = compute.env, !envId.isEmpty else {
            throw RequestError.badRequest("compute.env is required", field: "compute.env")
        }
        let environment = try node.config.environment(id: envId, field: "compute.env")
        guard let seconds = compute.validUntil, seconds.isFinite, let validUntil = Int(exactly: seconds.rounded(.towardZero)) else {
            throw RequestError.badRequest("compute.validUntil must be a Unix time in seconds", field: "compute.validUntil")
        }
        let now = node.now()
        guard validUntil > now else {
            throw RequestError.badRequest("compute.validUntil is in the past", field: "compute.validUntil")
        }
        guard let datasets = request.datasets, !datasets.isEmpty, datasets.count <= 16 else {
            throw RequestError.badRequest("datasets must be a list of 1 to 16 inputs", field: "datasets")
        }
        var answers: [InputAnswer] = []
        for (i, input) in datasets.enumerated() {
            let field = "datasets[\(i)]"
            let (ddo, index) = try await ResolveInput(node: node)(input, field: field)
            if ddo.isAlgorithm {
                throw RequestError.badRequest("\(field).documentId is an algorithm, not a dataset", field: "\(field).documentId")
            }
            if i == 0 && ddo.services[index].type != .compute {
                throw RequestError.badRequest("\(field).serviceId must name a compute service", field: "\(field).serviceId")
            }
            answers.append(try await answer(for: input, ddo: ddo, index: index, consumer: consumer,
                                            environment: environment, validUntil: validUntil, field: field))
        }
        var result = InitializeComputeAnswer(datasets: answers, algorithm: nil)
        guard let algorithm = request.algorithm else {
            throw RequestError.badRequest("algorithm is required: a published algorithm or {\"meta\": ...}", field: "algorithm")
        }
        // Raw code is not ordered: only a published algorithm has an answer.
        if algorithm.meta == nil {
            let (ddo, index) = try await ResolveInput(node: node)(algorithm.published, field: "algorithm")
            guard ddo.isAlgorithm else {
                throw RequestError.badRequest("algorithm.documentId is not an algorithm", field: "algorithm.documentId")
            }
            result.algorithm = try await answer(for: algorithm.published, ddo: ddo, index: index, consumer: consumer,
                                                   environment: environment, validUntil: validUntil, field: "algorithm")
        }
        return result
    }

    func answer(for input: InputReference, ddo: DDO, index: Int, consumer: EthereumAddress, environment: ComputeEnvironment,
                validUntil: Int, field: String) async throws -> InputAnswer {
        let service = ddo.services[index]
        let context = OrderVerifier.Context(ddo: ddo, serviceIndex: index, requester: consumer, environment: environment,
                                            field: "\(field).transferTxId")
        var orderStillPays = false
        var feeStillGood = false
        var txId: String?
        if let tx = input.transferTxId, !tx.isEmpty, let found = try await node.order(tx) {
            let (order, original) = (found.order, found.original)
            if (try? node.orderVerifier.verifyOrder(order, original: original, context: context)) != nil {
                orderStillPays = true
                txId = order.transactionId
                feeStillGood = (try? node.orderVerifier.verifyFee(order.providerFee, context: context)) != nil
                    && order.providerFee.validUntil >= validUntil
            }
        }
        if orderStillPays && feeStillGood, let txId {
            return InputAnswer(validOrder: txId)
        }
        let datatoken = service.datatokenAddress
        let fee = ProviderFees.make(environment: environment, datatoken: datatoken, serviceId: service.id,
                                    validUntil: validUntil, now: node.now(), key: node.providerKey)
        return InputAnswer(validOrder: orderStillPays ? txId : nil, datatoken: datatoken, providerFee: fee)
    }
}
