import Foundation
import SluiceCore
import Testing
@testable import SluiceCrypto

@Suite("Node key file")
struct NodeKeyFileTests {
    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func createdOnceWithMode0600AndReloaded() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("node.key").path
        let first = try NodeKeyFile.loadOrCreate(at: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try NodeKeyFile.loadOrCreate(at: path)
        #expect(first.address == second.address)
    }

    @Test func refusesAKeyReadableByOthers() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("node.key").path
        _ = try NodeKeyFile.loadOrCreate(at: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: NodeKeyFile.Failure.self) { try NodeKeyFile.load(at: path) }
    }

    @Test func refusesGarbage() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("node.key").path
        FileManager.default.createFile(atPath: path, contents: Data("not a key".utf8), attributes: [.posixPermissions: 0o600])
        #expect(throws: NodeKeyFile.Failure.self) { try NodeKeyFile.load(at: path) }
    }
}
