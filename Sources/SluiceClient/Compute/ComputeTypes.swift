import Foundation
import SluiceCore

/// One entry of `GET /api/services/computeEnvironments`.
public struct EnvironmentInfo: Codable, Sendable, Equatable {
    public let id: String
    public let desc: String?
    public let nCPU: Double?
    public let ramGB: Double?
    public let diskGB: Double?
    public let priceMin: Double
    public let currentJobs: Int?
    public let maxJobs: Int?
    public let maxJobDuration: Int?
    /// The provider's address: ocean-lib orders with it as the consumer.
    public let consumerAddress: String
    public let feeToken: String?
    public let free: Bool?

    public var isFree: Bool { free ?? (priceMin == 0) }
}

/// A job's status as the node reports it (contract section 3).
public struct JobInfo: Codable, Sendable, Equatable {
    public let owner: String
    public let documentId: String
    public let jobId: String
    public let dateCreated: String
    public let dateFinished: String?
    public let status: Int
    public let statusText: String
    public let results: [JobResultFile]
    public let algoDID: String?
    public let inputDID: [String]?
    public let environment: String?
    public let terminationReason: String?
    public let exitCode: Int?
    public let error: String?

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

    var reference: JSONValue {
        var o: [String: JSONValue] = ["documentId": .string(ddo.id.text), "serviceId": .string(serviceId)]
        if let transferTxId { o["transferTxId"] = .string(transferTxId) }
        if let customData { o["algocustomdata"] = customData }
        return .object(o)
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
