import Foundation
import NIOHTTP1
public import SluiceCore

extension NodeClient {
    /// The compute environments, each with `consumerAddress` and whether it is free.
    public func environments() async throws(ClientError) -> [EnvironmentListing] {
        try await http.json([EnvironmentListing].self, .GET, Paths.computeEnvironments)
    }

    /// The first free environment (`ocean.compute.get_free_c2d_environment`).
    public func freeEnvironment() async throws(ClientError) -> EnvironmentListing {
        guard let env = try await environments().first(where: \.isFree) else { throw .noFreeEnvironment }
        return env
    }

    public func environment(id: String) async throws(ClientError) -> EnvironmentListing {
        let all = try await environments()
        guard let env = all.first(where: { $0.id == id }) else {
            throw .invalidInput("The node has no compute environment \"\(id)\"; it has \(all.map(\.id).joined(separator: ", ")).")
        }
        return env
    }

    /// `ocean.assets.pay_for_compute_service`: asks the node (initializeCompute) what each
    /// input needs, then orders only what needs it: a new order when there is none that
    /// still pays, a reuse when only the provider fee must be renewed, nothing when both
    /// are good. Inputs come back with their `transferTxId` set, to pass again next time.
    /// - Parameter consumer: who the orders are for; the environment's `consumerAddress`
    ///   by default, as ocean-lib does (the wallet is the payer).
    public func payForCompute(dataset: ComputeInput, algorithm: ComputeInput, environment: EnvironmentListing,
                              validUntil: Date = Date().addingTimeInterval(86400), consumer: String? = nil,
                              by wallet: Wallet) async throws(ClientError) -> ComputePayment {
        let consumer = consumer ?? environment.consumerAddress
        let request = InitializeComputeRequest(
            consumerAddress: consumer,
            compute: .init(env: environment.id, validUntil: validUntil.timeIntervalSince1970.rounded(.down)),
            datasets: [dataset.reference], algorithm: algorithm.algorithmReference)
        let answer = try await http.json(InitializeComputeAnswer.self, .POST, Paths.initializeCompute, body: try encodeJSON(request))
        guard let datasetAnswer = answer.datasets.first, let algorithmAnswer = answer.algorithm else {
            throw .unexpectedAnswer(node: http.baseURL, detail: "initializeCompute answered without datasets or algorithm")
        }
        var paidDataset = dataset, paidAlgorithm = algorithm
        let datasetAction = try await settle(&paidDataset, datasetAnswer, consumer: consumer, by: wallet)
        let algorithmAction = try await settle(&paidAlgorithm, algorithmAnswer, consumer: consumer, by: wallet)
        return ComputePayment(dataset: paidDataset, algorithm: paidAlgorithm, datasetAction: datasetAction, algorithmAction: algorithmAction)
    }

    private func settle(_ input: inout ComputeInput, _ answer: InputAnswer, consumer: String,
                        by wallet: Wallet) async throws(ClientError) -> PaymentAction {
        let validOrder = answer.validOrder
        guard let fee = answer.providerFee else {
            guard let validOrder else {
                throw .unexpectedAnswer(node: http.baseURL, detail: "initializeCompute gave neither an order nor a fee")
            }
            input.transferTxId = validOrder
            return .kept
        }
        let (serviceId, datatoken) = try input.ddo.datatoken(serviceId: input.serviceId)
        if let validOrder {
            input.transferTxId = try await ledger.reuseOrder(validOrder, datatoken: datatoken, providerFee: fee, node: self, by: wallet)
            return .reused
        }
        // Checked first so that the refusal names the asset rather than a token address.
        let held = try await ledger.balance(token: datatoken, holder: wallet.address, node: self)
        guard let one = TokenAmount.tokens(1), held >= one else {
            throw .notEnoughDatatokens(did: input.ddo.id.text, serviceId: serviceId, balance: held.tokensText)
        }
        let consumerAddress = try Self.address(consumer, what: "consumer")
        input.transferTxId = try await ledger.startOrder(datatoken: datatoken, consumer: consumerAddress, serviceIndex: input.serviceIndex,
                                                         providerFee: fee, node: self, by: wallet)
        return .ordered
    }
}
