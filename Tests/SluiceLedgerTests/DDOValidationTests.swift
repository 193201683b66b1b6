import SluiceCore
import SluiceCrypto
import Testing
@testable import SluiceLedger

@Suite("DDO validation against Ocean's schema")
struct DDOValidationTests {
    static let nft = EthereumAddress("0x5CF7F96627F3C9903763d128A1cc5D97556A6b99")!
    static let datatoken = "0x2B995A16F2315e04363409505d86CDa86c705ac1"

    /// What ocean-lib's create_url_asset sends, in shape: a dataset with access and compute services.
    static var valid: [String: JSONValue] {
        [
            "@context": .array([.string("https://w3id.org/did/v1")]),
            "id": .string(DID.derive(nftAddress: nft, chainId: 8996).text),
            "version": .string("4.1.0"), "chainId": .integer(8996), "nftAddress": .string(nft.checksummed),
            "metadata": .object([
                "created": .string("2026-12-01T20:30:00.123456"), "updated": .string("2026-12-01T20:30:00Z"),
                "description": .string("Branin"), "name": .string("Branin dataset"), "type": .string("dataset"),
                "author": .string("alice"), "license": .string("CC0: PublicDomain"), "tags": .array([.string("ml")]),
            ]),
            "services": .array([
                .object(["id": .string("0"), "type": .string("access"), "serviceEndpoint": .string("http://127.0.0.1:8030"),
                         "datatokenAddress": .string(datatoken), "files": .string("0x04ab"), "timeout": .integer(0)]),
                .object(["id": .string("1"), "type": .string("compute"), "serviceEndpoint": .string("http://127.0.0.1:8030"),
                         "datatokenAddress": .string(datatoken), "files": .string("0x04ab"), "timeout": .integer(3600),
                         "compute": .object(["allowRawAlgorithm": .bool(false), "allowNetworkAccess": .bool(true),
                                             "publisherTrustedAlgorithmPublishers": .array([]),
                                             "publisherTrustedAlgorithms": .array([])])]),
            ]),
            "credentials": .object(["allow": .array([]), "deny": .array([])]),
        ]
    }

    static func algorithm() -> [String: JSONValue] {
        var d = valid
        var m = d["metadata"]!.objectValue!
        m["type"] = .string("algorithm")
        m["algorithm"] = .object(["language": .string("python"), "version": .string("0.1"), "container": .object([
            "entrypoint": .string("python $ALGO"), "image": .string("oceanprotocol/algo_dockers"), "tag": .string("python-branin"),
            "checksum": .string("sha256:8221d20c1c16491d7d56b9657ea09082c0ee4a8ab1a6621fa720da58b09580e4")])])
        d["metadata"] = .object(m)
        d["services"] = .array([d["services"]!.arrayValue![0]])
        return d
    }

    @Test func aDatasetAndAnAlgorithmAsOceanLibWritesThemAreValid() {
        #expect(DDOValidation.problems(in: .object(Self.valid)) == [])
        #expect(DDOValidation.problems(in: .object(Self.algorithm())) == [])
    }

    /// A broken copy of a valid DDO and the field its problem must name.
    struct Broken: Sendable, CustomTestStringConvertible {
        let name: String
        let field: String
        let edit: @Sendable (inout [String: JSONValue]) -> Void
        var testDescription: String { name }
    }

    static func service(_ i: Int, _ d: inout [String: JSONValue], _ edit: (inout [String: JSONValue]) -> Void) {
        var services = d["services"]!.arrayValue!
        var s = services[i].objectValue!
        edit(&s)
        services[i] = .object(s)
        d["services"] = .array(services)
    }

    static func metadata(_ d: inout [String: JSONValue], _ edit: (inout [String: JSONValue]) -> Void) {
        var m = d["metadata"]!.objectValue!
        edit(&m)
        d["metadata"] = .object(m)
    }

    static let broken: [Broken] = [
        Broken(name: "missing id", field: "id") { $0["id"] = nil },
        Broken(name: "an id that is not the NFT's DID", field: "id") { $0["id"] = .string("did:op:" + String(repeating: "ab", count: 32)) },
        Broken(name: "chainId as a string", field: "chainId") { $0["chainId"] = .string("8996") },
        Broken(name: "nftAddress not an address", field: "nftAddress") { $0["nftAddress"] = .string("0x1234") },
        Broken(name: "an unknown version", field: "version") { $0["version"] = .string("3.0.0") },
        Broken(name: "no @context", field: "@context") { $0["@context"] = nil },
        Broken(name: "no metadata", field: "metadata") { $0["metadata"] = nil },
        Broken(name: "metadata without a name", field: "metadata.name") { d in metadata(&d) { $0["name"] = nil } },
        Broken(name: "an unknown asset type", field: "metadata.type") { d in metadata(&d) { $0["type"] = .string("model") } },
        Broken(name: "a created date that is not ISO 8601", field: "metadata.created") { d in metadata(&d) { $0["created"] = .string("yesterday") } },
        Broken(name: "tags that are not strings", field: "metadata.tags[0]") { d in metadata(&d) { $0["tags"] = .array([.integer(1)]) } },
        Broken(name: "no services", field: "services") { $0["services"] = .array([]) },
        Broken(name: "a service without files", field: "services[1].files") { d in service(1, &d) { $0["files"] = nil } },
        Broken(name: "a service with a timeout as text", field: "services[0].timeout") { d in service(0, &d) { $0["timeout"] = .string("0") } },
        Broken(name: "a service without a datatoken", field: "services[0].datatokenAddress") { d in service(0, &d) { $0["datatokenAddress"] = nil } },
        Broken(name: "two services with one id", field: "services[1].id") { d in service(1, &d) { $0["id"] = .string("0") } },
        Broken(name: "a compute service without compute options", field: "services[1].compute") { d in service(1, &d) { $0["compute"] = nil } },
        Broken(name: "allowRawAlgorithm as text", field: "services[1].compute.allowRawAlgorithm") { d in
            service(1, &d) { $0["compute"] = .object(["allowRawAlgorithm": .string("no"), "allowNetworkAccess": .bool(false)]) }
        },
        Broken(name: "a trusted algorithm without its checksums", field: "services[1].compute.publisherTrustedAlgorithms[0].filesChecksum") { d in
            service(1, &d) { $0["compute"] = .object(["allowRawAlgorithm": .bool(false), "allowNetworkAccess": .bool(false),
                                                     "publisherTrustedAlgorithms": .array([.object([
                                                         "did": .string("did:op:" + String(repeating: "cd", count: 32)),
                                                         "containerSectionChecksum": .string("ab")])])]) }
        },
        Broken(name: "credentials.allow not a list", field: "credentials.allow") { $0["credentials"] = .object(["allow": .string("all")]) },
    ]

    @Test(arguments: broken)
    func aBrokenDatasetNamesItsField(_ case_: Broken) {
        var d = Self.valid
        case_.edit(&d)
        let problems = DDOValidation.problems(in: .object(d))
        #expect(problems.map(\.path).contains(case_.field), "\(problems)")
    }

    @Test func anAlgorithmWithoutItsContainerSectionNamesIt() {
        var d = Self.algorithm()
        Self.metadata(&d) { $0["algorithm"] = .object(["language": .string("python")]) }
        #expect(DDOValidation.problems(in: .object(d)).map(\.path) == ["metadata.algorithm.container"])
        Self.metadata(&d) { $0["algorithm"] = .object(["container": .object(["entrypoint": .string("python $ALGO"), "image": .string("python"), "tag": .string("3")])]) }
        #expect(DDOValidation.problems(in: .object(d)).map(\.path) == ["metadata.algorithm.container.checksum"])
        Self.metadata(&d) { $0["algorithm"] = nil }
        #expect(DDOValidation.problems(in: .object(d)).map(\.path) == ["metadata.algorithm"])
    }

    @Test func everyProblemIsReportedAtOnce() {
        var d = Self.valid
        d["chainId"] = .string("x")
        Self.metadata(&d) { $0["author"] = nil }
        Self.service(0, &d) { $0["files"] = nil }
        let paths = Set(DDOValidation.problems(in: .object(d)).map(\.path))
        #expect(paths.isSuperset(of: ["chainId", "metadata.author", "services[0].files"]))
    }

    @Test func notAnObjectIsOneProblem() {
        #expect(DDOValidation.problems(in: .array([])).count == 1)
    }
}
