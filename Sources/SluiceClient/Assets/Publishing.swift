import Foundation
import NIOHTTP1
import SluiceCore

extension NodeClient {
    /// `POST /api/services/encrypt`: the file list encrypted to the node's key.
    func encrypt(_ files: [AssetFile]) async throws(ClientError) -> String {
        let body = JSONValue.array(files.map(\.json)).compactJSON()
        let bytes = try await http.send(.POST, "/api/services/encrypt", body: body)
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("0x"), Hex.decode(text) != nil else {
            throw .unexpectedAnswer(node: http.baseURL, detail: "encrypt did not answer hex")
        }
        return text
    }

    /// Publishes a dataset as `create_url_asset(..., with_compute=True)` does: an access
    /// service `access` and a compute service `compute` over the same file, each with its
    /// datatoken; no algorithm is allowed on it until `trust`.
    /// - Parameter timeout: seconds an order of the dataset stays usable.
    public func publishDataset(_ file: AssetFile, _ description: AssetDescription, timeout: Int = 86400,
                               by wallet: Wallet) async throws(ClientError) -> DDO {
        let files = try await encrypt([file])
        let draft: [String: JSONValue] = [
            "metadata": .object(description.metadata(type: .dataset)),
            "services": .array([
                .object(["id": .string("access"), "type": .string("access"), "files": .string(files),
                         "timeout": .integer(Int64(timeout))]),
                .object(["id": .string("compute"), "type": .string("compute"), "files": .string(files),
                         "timeout": .integer(Int64(timeout)),
                         "compute": .object(["allowRawAlgorithm": .bool(false), "allowNetworkAccess": .bool(false),
                                             "publisherTrustedAlgorithms": .array([])])]),
            ]),
        ]
        return try await publish(draft, by: wallet)
    }

    /// Publishes an algorithm as `create_algo_asset` does: one access service `0` over the
    /// algorithm's file, with the container section it runs in.
    public func publishAlgorithm(_ file: AssetFile, _ description: AssetDescription, container: AlgorithmContainer,
                                 by wallet: Wallet) async throws(ClientError) -> DDO {
        let files = try await encrypt([file])
        var metadata = description.metadata(type: .algorithm)
        metadata["algorithm"] = .object([
            "language": .string(container.language), "version": .string(container.version),
            "container": .object(["entrypoint": .string(container.entrypoint), "image": .string(container.image),
                                  "tag": .string(container.tag), "checksum": .string(container.checksum)]),
        ])
        let draft: [String: JSONValue] = [
            "metadata": .object(metadata),
            "services": .array([.object(["id": .string("0"), "type": .string("access"), "files": .string(files),
                                         "timeout": .integer(0)])]),
        ]
        return try await publish(draft, by: wallet)
    }

    func publish(_ draft: [String: JSONValue], by wallet: Wallet) async throws(ClientError) -> DDO {
        let bytes = try await signedWrite(.POST, "/api/sluice/assets", action: "publish", payload: draft, by: wallet)
        return try decode(DDO.self, bytes, what: "published asset")
    }

    /// Allows `algorithm` on the dataset's compute service, pinned to the algorithm's
    /// current files and container (the seed's `add_publisher_trusted_algorithm` + update).
    public func trust(algorithm: String, on dataset: String, serviceId: String = "compute",
                      by wallet: Wallet) async throws(ClientError) -> DDO {
        let datasetDID = try Self.did(dataset), algorithmDID = try Self.did(algorithm)
        let bytes = try await signedWrite(.POST, "/api/sluice/assets/\(datasetDID.text)/trust", action: "trust",
                                          payload: ["serviceId": .string(serviceId), "algorithmDid": .string(algorithmDID.text)],
                                          by: wallet)
        return try decode(DDO.self, bytes, what: "updated asset")
    }

    /// The asset's DDO, as Ocean's metadata cache answers it.
    public func resolve(_ did: String) async throws(ClientError) -> DDO {
        let parsed = try Self.did(did)
        let bytes = try await http.send(.GET, "/api/aquarius/assets/ddo/\(parsed.text)")
        return try decode(DDO.self, bytes, what: "DDO")
    }

    static func did(_ text: String) throws(ClientError) -> DID {
        guard let did = DID(text) else {
            throw .invalidInput("\"\(text)\" is not a DID: expected did:op: followed by 64 hex digits.")
        }
        return did
    }
}

extension DDO {
    /// The datatoken of service `serviceId`, or of the compute service (datasets) or the
    /// first service (algorithms) when nil.
    public func datatoken(serviceId: String? = nil) throws(ClientError) -> (serviceId: String, address: String) {
        let chosen: AssetService?
        if let serviceId {
            chosen = service(id: serviceId)?.service
        } else {
            chosen = services.first { $0.type == .compute } ?? services.first
        }
        guard let chosen else {
            throw .invalidInput("Asset \(id.text) has no service \(serviceId ?? "to order").")
        }
        return (chosen.id, chosen.datatokenAddress)
    }
}
