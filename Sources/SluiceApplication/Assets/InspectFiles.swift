public import SluiceCore
import SluiceEngine
import SluiceLedger

/// File info (`POST /api/services/fileinfo`): for `{did, serviceId}` each file of the
/// service, or for one url file object that file: `index`, `valid`, `type`,
/// `contentLength`, `contentType` (and `checksum` when asked). Never the URL or path; an
/// address the egress policy refuses is a refusal, not an invalid file.
public struct InspectFiles: Sendable {
    let node: SluiceNode

    public init(node: SluiceNode) { self.node = node }

    public func callAsFunction(_ request: FileInfoRequest) async throws -> [FileInfo] {
        let withChecksum = request.checksum
        var sources: [(type: String, source: DataSource)] = []
        if let didText = request.did {
            guard let did = DID(didText) else { throw RequestError.badRequest("did must be did:op: followed by 64 hex digits", field: "did") }
            guard let ddo = try await node.assets.asset(did) else { throw RequestError.notFound("no asset \(did)", field: "did") }
            let serviceId = request.serviceId ?? ""
            guard let (_, service) = ddo.service(id: serviceId) else {
                throw RequestError.notFound("asset \(did) has no service \"\(serviceId)\"", field: "serviceId")
            }
            sources = try node.fileCipher.files(of: service, nft: ddo.nftAddress).map { (Self.typeName($0), $0) }
        } else if let object = request.file {
            let source = try FileObject.parse(object, path: "file")
            guard case .url = source else {
                throw RequestError.badRequest("only url file objects can be checked before publishing", field: "type")
            }
            sources = [("url", source)]
        } else {
            throw RequestError.badRequest("send {\"did\", \"serviceId\"} or a url file object", field: "did")
        }
        var answer: [FileInfo] = []
        for (i, entry) in sources.enumerated() {
            do {
                let info = try await node.inspector.inspect(entry.source, field: "file \(i)")
                answer.append(FileInfo(index: i, valid: true, type: entry.type, contentLength: String(info.size),
                                       contentType: info.contentType, checksum: withChecksum ? info.sha256 : nil))
            } catch let refusal as RequestError where refusal.kind == .forbidden {
                // The egress policy refused it: a refusal, not an invalid file.
                throw refusal
            } catch {
                answer.append(FileInfo(index: i, valid: false, type: entry.type))
            }
        }
        return answer
    }

    static func typeName(_ source: DataSource) -> String {
        switch source {
        case .url: return "url"
        case .path: return "local"
        }
    }
}
