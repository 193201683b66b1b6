import Foundation
@testable import SluiceApplication
import Testing

/// Where a PostgreSQL node's password comes from: `databasePasswordFile`'s first line,
/// else `PGPASSWORD`, else none; an unreadable file stops the node without showing a password.
@Suite struct DatabasePasswordTests {
    @Test func theFileComesFirstThenTheEnvironment() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-pw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pg")
        try Data("from-file\r\nsecond line\n".utf8).write(to: file)
        #expect(try DatabasePassword.resolve(file: file.path, environment: ["PGPASSWORD": "from-env"]) == "from-file")
        #expect(try DatabasePassword.resolve(file: nil, environment: ["PGPASSWORD": "from-env"]) == "from-env")
        #expect(try DatabasePassword.resolve(file: nil, environment: [:]) == nil)
        let missing = dir.appendingPathComponent("absent").path
        do {
            _ = try DatabasePassword.resolve(file: missing, environment: ["PGPASSWORD": "from-env"])
            Issue.record("an unreadable password file was accepted")
        } catch {
            #expect("\(error)".contains(missing) && !"\(error)".contains("from-env"), "\(error)")
        }
    }
}
