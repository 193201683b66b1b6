import ArgumentParser
import Foundation
import SluiceClient
import SluiceCore
#if canImport(Glibc)
import Glibc
#endif

/// How client commands print: human text by default, JSON with `--json`, and failures
/// as one sentence on stderr with exit status 1.
enum CLI {
    /// Runs a command body, turning every error into one sentence and a non-zero exit.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ClientError {
            fail(error.description)
        } catch let error as ExitCode {
            throw error
        } catch is CancellationError {
            fail("Cancelled.")
        } catch {
            fail("\(error)")
        }
    }

    static func fail(_ sentence: String) -> Never {
        FileHandle.standardError.write(Data(("sluice: " + sentence + "\n").utf8))
        exit(1)
    }

    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        line(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func json(_ value: JSONValue) throws { try json(AnyJSON(value)) }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// A `JSONValue` for JSONEncoder's pretty printing.
struct AnyJSON: Encodable {
    let value: JSONValue
    init(_ value: JSONValue) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

extension DDO {
    /// The lines `asset` commands print for people.
    var summaryLines: [String] {
        var lines = ["\(metadata.type.rawValue) \"\(metadata.name)\" \(id.text)", "  owner     \(nft.owner)", "  data NFT  \(nftAddress.checksummed)"]
        for service in services {
            var line = "  service \(service.id) (\(service.type.rawValue)) datatoken \(service.datatokenAddress.checksummed)"
            if let trusted = service.compute?.publisherTrustedAlgorithms, !trusted.isEmpty {
                line += ", trusted algorithms: " + trusted.map(\.did).joined(separator: ", ")
            }
            lines.append(line)
        }
        return lines
    }
}
