import Foundation
import NIOHTTP1
public import SluiceCore

extension NodeClient {
    /// `POST /api/services/encrypt`: `plaintext` encrypted to the node's key, as `0x` hex.
    func encrypt(_ plaintext: String) async throws(ClientError) -> String {
        try await encrypt(octets: Array(plaintext.utf8))
    }

    func encrypt(octets: [UInt8]) async throws(ClientError) -> String {
        let bytes = try await http.send(.POST, Paths.encrypt, body: .octets(octets))
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("0x"), Hex.decode(text) != nil else {
            throw .unexpectedAnswer(node: http.baseURL, detail: "encrypt did not answer hex")
        }
        return text
    }

    /// The node's metadata proof for a DDO's exact bytes (Aquarius's validate route);
    /// refusals name every field at fault.
    func validate(document: [UInt8]) async throws(ClientError) -> MetadataProof {
        let bytes = try await http.send(.POST, Paths.validateDDO, body: .octets(document))
        do {
            return try JSONDecoder().decode(MetadataProof.self, from: Data(bytes))
        } catch {
            throw .unexpectedAnswer(node: http.baseURL, detail: "validate did not answer a metadata proof")
        }
    }

    /// Publishes a dataset as `create_url_asset(..., with_compute=True)` does: an access
    /// service `access` and a compute service `compute` over the same file; no algorithm
    /// is allowed on it until `trust`.
    /// - Parameter timeout: seconds an order of the dataset stays usable.
    public func publishDataset(_ file: DataSource, _ description: AssetDescription, timeout: Int = 86400,
                               by wallet: Wallet) async throws(ClientError) -> DDO {
        let compute = JSONValue.object(["allowRawAlgorithm": .bool(false), "allowNetworkAccess": .bool(false),
                                        "publisherTrustedAlgorithmPublishers": .array([]), "publisherTrustedAlgorithms": .array([])])
        let asset = AssetPublication(metadata: description.metadata(type: .dataset), services: [
            .init(id: "access", type: "access", timeout: timeout, compute: nil),
            .init(id: "compute", type: "compute", timeout: timeout, compute: compute),
        ], file: file)
        return try await ledger.publish(asset, node: self, by: wallet)
    }

    /// Publishes an algorithm as `create_algo_asset` does: one access service `0` over the
    /// algorithm's file, with the container section it runs in.
    public func publishAlgorithm(_ file: DataSource, _ description: AssetDescription, container: AlgorithmContainer,
                                 by wallet: Wallet) async throws(ClientError) -> DDO {
        var metadata = description.metadata(type: .algorithm)
        metadata["algorithm"] = .object([
            "language": .string(container.language), "version": .string(container.version),
            "container": .object(["entrypoint": .string(container.entrypoint), "image": .string(container.image),
                                  "tag": .string(container.tag), "checksum": .string(container.checksum)]),
        ])
        let asset = AssetPublication(metadata: metadata, services: [.init(id: "0", type: "access", timeout: 0, compute: nil)], file: file)
        return try await ledger.publish(asset, node: self, by: wallet)
    }

    /// Allows `algorithm` on the dataset's compute service, pinned to the algorithm's
    /// current files and container (the seed's `add_publisher_trusted_algorithm` + update).
    public func trust(algorithm: String, on dataset: String, serviceId: String = "compute",
                      by wallet: Wallet) async throws(ClientError) -> DDO {
        let datasetDID = try Self.did(dataset), algorithmDID = try Self.did(algorithm)
        return try await ledger.trust(algorithmDID, on: datasetDID, serviceId: serviceId, node: self, by: wallet)
    }

    /// The asset's DDO, as Ocean's metadata cache answers it.
    public func resolve(_ did: String) async throws(ClientError) -> DDO {
        let parsed = try Self.did(did)
        let bytes: [UInt8]
        do {
            bytes = try await http.send(.GET, Paths.ddo + "/\(parsed.text)")
        } catch .node(status: 404, _, let field) {
            // The node words it as Aquarius does, for ocean-lib; say it plainly here.
            throw .node(status: 404, message: "no asset with DID \(parsed.text) on this node", field: field)
        }
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
    public func datatoken(serviceId: String? = nil) throws(ClientError) -> (serviceId: String, address: EthereumAddress) {
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
