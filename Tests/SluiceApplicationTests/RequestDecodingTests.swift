import Foundation
import SluiceApplication
import SluiceCore
import Testing

/// Requests become their typed models at the edge: Ocean's shapes are read as Ocean's
/// clients send them, and a field of the wrong shape is refused with a 400 naming it.
@Suite struct RequestDecodingTests {
    func parameters(_ json: String) throws -> RequestParameters {
        RequestParameters(values: try #require(try JSONValue.parse(Array(json.utf8)).objectValue))
    }

    @Test func oceanLibsStartRequestIsRead() throws {
        let request = try parameters("""
            {"consumerAddress": "0xabc", "nonce": "0017", "signature": "0x12", "environment": "free",
             "dataset": {"documentId": "did:op:1", "serviceId": 0, "transferTxId": "0xaa", "userdata": {"k": 1}},
             "additionalInputs": [{"documentId": "did:op:2", "serviceId": "s"}],
             "algorithm": {"documentId": "did:op:3", "serviceId": "a", "algocustomdata": "{\\"x\\": 1}"}}
            """).decode(ComputeStartRequest.self)
        #expect(request.signed.nonce?.text == "0017", "the nonce's text is kept as sent: it is signed")
        #expect(request.signed.signature == .text("0x12"))
        #expect(request.dataset?.serviceId == "0")
        #expect(request.dataset?.userdata == .object(["k": .integer(1)]))
        #expect(request.additionalDatasets?.map(\.documentId) == ["did:op:2"])
        #expect(request.algorithm?.meta == nil && request.algorithm?.algocustomdata == .string("{\"x\": 1}"))
    }

    @Test func whatTheSDKSendsIsWhatTheNodeReads() throws {
        let sent = ComputeStartRequest(
            signed: SignedFields(consumerAddress: "0xabc", nonce: Nonce(3), signature: "0x12"), environment: "free",
            dataset: InputReference(documentId: "did:op:1", serviceId: "compute", transferTxId: "0xaa"),
            algorithm: AlgorithmReference(meta: RawAlgorithm(rawcode: "print(1)", container: .init(entrypoint: "python $ALGO", image: "python", tag: "3", checksum: nil))))
        let wire = try JSONValue.parse(Array(try JSONEncoder().encode(sent)))
        let read = try RequestParameters(values: try #require(wire.objectValue)).decode(ComputeStartRequest.self)
        #expect(read == sent)
    }

    @Test(arguments: [
        (#"{"dataset": "did:op:1"}"#, "dataset"),
        (#"{"environment": 7}"#, "environment"),
        (#"{"nonce": "seven"}"#, "nonce"),
        (#"{"nonce": 1.5}"#, "nonce"),
        (#"{"additionalDatasets": [{"documentId": "d"}, 3]}"#, "additionalDatasets[1]"),
        (#"{"algorithm": {"meta": {"container": {"image": ["python"]}}}}"#, "algorithm.meta.container.image"),
        (#"{"dataset": {"serviceId": true}}"#, "dataset.serviceId"),
    ])
    func aFieldOfTheWrongShapeIsNamed(_ json: String, _ field: String) throws {
        let p = try parameters(json)
        let error = #expect(throws: RequestError.self) { try p.decode(ComputeStartRequest.self) }
        #expect(error?.kind == .badRequest)
        #expect(error?.field == field, "\(String(describing: error))")
    }

    @Test func initializeAndQueriesAreRead() throws {
        let initialize = try parameters(#"{"consumerAddress": "0xabc", "compute": {"env": "e", "validUntil": 1900000000.5}, "datasets": [{"documentId": "d", "serviceId": "s"}]}"#)
            .decode(InitializeComputeRequest.self)
        #expect(initialize.compute?.validUntil == 1_900_000_000.5 && initialize.datasets?.count == 1 && initialize.algorithm == nil)
        let query = try parameters(#"{"consumerAddress": "0xabc", "nonce": 4, "signature": 12, "jobId": "", "documentId": "did:op:1"}"#)
            .decode(JobQuery.self)
        #expect(query.jobId == nil, "an empty jobId counts as absent")
        #expect(query.signed.signature == .notText, "a signature that is not text is kept as such, for a 401")
        let result = try parameters(#"{"jobId": "j", "index": 2}"#).decode(ResultRequest.self)
        #expect(result.index == "2")
    }

    @Test func aSignatureThatIsNotTextIsABadSignature() throws {
        let fields = try parameters(#"{"consumerAddress": "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", "nonce": 1, "signature": {"r": 1}}"#)
            .decode(SignedFields.self)
        let error = #expect(throws: RequestError.self) { try SignedRequest.verify(fields) { $0 } }
        #expect(error?.kind == .unauthorized && error?.field == "signature")
    }
}
