import Foundation
import Hummingbird
import SluiceApplication
import SluiceCore
import SluiceLedger

extension Router {
    /// The embedded ledger's orders: `startOrder`, `reuseOrder`, and reading one back.
    func addOrderRoutes(node: SluiceNode) {
        post(RouterPath(Paths.sluiceOrders)) { request, _ in
            var request = request
            let write = try await SignedWrite.read(&request, node: node, action: "startOrder")
            let datatoken = try write.address("datatoken")
            let consumer = try write.address("consumer")
            guard let index = write.payload["serviceIndex"]?.int64Value, index >= 0, index < 64 else {
                throw RequestError.badRequest("payload.serviceIndex must be the service's position, a whole number", field: "payload.serviceIndex")
            }
            let fee = try Self.providerFee(write.payload["providerFee"])
            let order = try await node.embedded.startOrder(datatoken: datatoken, consumer: consumer, serviceIndex: Int(index),
                                                         providerFee: fee, by: write.auth)
            return try JSONResponse.encode(order, status: .created)
        }

        post(RouterPath(Paths.sluiceOrders + "/:tx/reuse")) { request, context in
            let tx = try Self.transactionId(context.parameters.get("tx"))
            var request = request
            let write = try await SignedWrite.read(&request, node: node, action: "reuseOrder")
            let fee = try Self.providerFee(write.payload["providerFee"])
            return try JSONResponse.encode(try await node.embedded.reuseOrder(tx, providerFee: fee, by: write.auth), status: .created)
        }

        get(RouterPath(Paths.sluiceOrders + "/:tx")) { _, context in
            try node.requireEmbeddedLedger()
            let tx = try Self.transactionId(context.parameters.get("tx"))
            guard let order = try await node.embedded.storedOrder(tx) else {
                throw RequestError.notFound("no order \(tx)", field: "tx")
            }
            return try JSONResponse.encode(order)
        }
    }

    static func transactionId(_ text: String?) throws(RequestError) -> String {
        guard let text, text.hasPrefix("0x"), text.utf8.count == 66, let bytes = Hex.decode(text), bytes.count == 32 else {
            throw .badRequest("transaction id must be 0x followed by 64 hex digits", field: "tx")
        }
        return text.lowercased()
    }

    static func providerFee(_ value: JSONValue?) throws(RequestError) -> ProviderFee {
        guard let value, value.objectValue != nil,
              let data = value.compactJSON().data(using: .utf8),
              let fee = try? JSONDecoder().decode(ProviderFee.self, from: data) else {
            throw .badRequest("payload.providerFee must be the providerFee object initializeCompute returned", field: "payload.providerFee")
        }
        return fee
    }
}
