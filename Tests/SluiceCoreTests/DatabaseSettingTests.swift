import Foundation
import SluiceCore
import Testing

/// The `database` key: "sqlite" or a postgres URL, parsed once; refusals name the key and
/// never repeat what was written (a mistyped URL may hold a password).
@Suite struct DatabaseSettingTests {
    @Test func theDefaultIsSQLite() throws {
        #expect(try JSONDecoder().decode(NodeConfig.self, from: Data("{}".utf8)).database == .sqlite)
        #expect(try JSONDecoder().decode(NodeConfig.self, from: Data(#"{"database": "sqlite"}"#.utf8)).database == .sqlite)
    }

    @Test(arguments: [
        ("postgres://sluice@127.0.0.1:5433/sluice", PostgresURL(user: "sluice", host: "127.0.0.1", port: 5433, name: "sluice")),
        ("postgresql://app@db.example.org/node", PostgresURL(user: "app", host: "db.example.org", port: 5432, name: "node")),
        ("postgres://a@h/d?sslmode=disable", PostgresURL(user: "a", host: "h", port: 5432, name: "d", tls: .disable)),
    ])
    func aURLReadsIntoItsParts(_ url: String, _ expected: PostgresURL) throws {
        #expect(try PostgresURL(url: url) == expected)
        #expect(DatabaseSetting(text: url) == .postgres(expected))
        #expect(try PostgresURL(url: expected.url) == expected, "the URL it prints reads back")
    }

    @Test(arguments: [
        ("mysql://a@h/d", PostgresURL.URLProblem.scheme),
        ("postgres://h/d", .noUser),
        ("postgres://a:hunter2@h/d", .password),
        ("postgres://a@:5432/d", .noHost),
        ("postgres://a@h:99999/d", .port),
        ("postgres://a@h:x/d", .port),
        ("postgres://a@h", .noDatabase),
        ("postgres://a@h/", .noDatabase),
        ("postgres://a@h/d;drop", .badCharacter),
        ("postgres://a@h/d?sslmode=maybe", .query),
        ("postgres://a@h/d?application_name=x", .query),
    ])
    func aBadURLIsRefused(_ url: String, _ problem: PostgresURL.URLProblem) throws {
        #expect(throws: problem) { try PostgresURL(url: url) }
        let refused = try #require(configRefusal(#"{"database": "\#(url)"}"#))
        #expect(refused.path == "database")
        #expect(!refused.reason.contains(url) && !refused.reason.contains("hunter2"), "\(refused.reason)")
    }

    @Test func theDisplayNameHoldsNoUser() throws {
        let database = try PostgresURL(url: "postgres://sluice@db:5433/node")
        #expect(database.displayName == "db:5433/node")
    }
}
