import Foundation
public import SluiceCore

/// A dataset or algorithm to compute with: the asset, the service, and once paid, the
/// order that pays for it (`transferTxId`), reused by later `payForCompute` calls.
public struct ComputeInput: Sendable, Equatable {
    public var ddo: DDO
    public var serviceId: String
    public var transferTxId: String?
    /// For algorithms: `algocustomdata`, written to `/data/inputs/algoCustomData.json`.
    public var customData: JSONValue?

    public init(ddo: DDO, serviceId: String? = nil, transferTxId: String? = nil, customData: JSONValue? = nil) throws(ClientError) {
        self.ddo = ddo
        self.serviceId = try ddo.datatoken(serviceId: serviceId).serviceId
        self.transferTxId = transferTxId
        self.customData = customData
    }

    var serviceIndex: Int { ddo.service(id: serviceId)?.index ?? 0 }

    var reference: InputReference {
        InputReference(documentId: ddo.id.text, serviceId: serviceId, transferTxId: transferTxId)
    }

    /// As the algorithm of a compute request.
    var algorithmReference: AlgorithmReference {
        AlgorithmReference(published: reference, algocustomdata: customData)
    }
}

/// What `payForCompute` did for each input.
public enum PaymentAction: String, Sendable, Codable {
    /// A new order: one datatoken paid.
    case ordered
    /// The order still paid but its provider fee was renewed; no datatoken paid.
    case reused
    /// The order and its fee were still good; nothing sent.
    case kept
}

public struct ComputePayment: Sendable {
    public var dataset: ComputeInput
    public var algorithm: ComputeInput
    public var datasetAction: PaymentAction
    public var algorithmAction: PaymentAction
}
