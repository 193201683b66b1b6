import Foundation
import Logging
import PostgresNIO
import SluiceCore

/// The PostgreSQL server tests run against: `SLUICE_POSTGRES_URL` (started by
/// `scripts/postgres-test-env.sh`, which `make test` runs). Each test asks for a fresh,
/// empty database on it, so tests are independent and may run in parallel.
public enum PostgresTestServer {
    public enum Availability: Sendable {
        case available(PostgresURL)
        /// No server configured: PostgreSQL cases are skipped (`make unit`, a plain `swift test`).
        case skipped(String)
        /// No server configured under CI, where every case must run: the case fails.
        case missingUnderCI(String)
    }

    public static var availability: Availability {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["SLUICE_POSTGRES_URL"], !url.isEmpty else {
            let reason = "SLUICE_POSTGRES_URL is not set (eval \"$(scripts/postgres-test-env.sh start)\")"
            if let ci = environment["CI"], !ci.isEmpty, ci != "0", ci != "false" { return .missingUnderCI(reason) }
            return .skipped(reason)
        }
        do {
            return .available(try PostgresURL(url: url))
        } catch {
            return .missingUnderCI("SLUICE_POSTGRES_URL is not a postgres:// URL: \(error)")
        }
    }

    /// How long a test's store may take to connect and migrate. A node's own limit (20 s)
    /// guards its start; a test process runs every suite at once on a cooperative pool
    /// of one thread per core, where each of a migration's round trips waits its turn
    /// behind the other suites' work, so under a full `make test` a migration on an
    /// idle server has taken longer than that.
    public static let startupLimit: Duration = .seconds(300)

    /// A new empty database on `server`, created through a connection of its own.
    public static func freshDatabase(on server: PostgresURL) async throws -> PostgresURL {
        let name = "sluice_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        var logger = Logger(label: "sluice.test.postgres")
        logger.logLevel = .warning
        let configuration = PostgresConnection.Configuration(
            host: server.host, port: server.port, username: server.user,
            password: ProcessInfo.processInfo.environment["PGPASSWORD"], database: server.name, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            // The name is generated above: letters, digits and underscores only.
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
        return PostgresURL(user: server.user, host: server.host, port: server.port, name: name, tls: .disable)
    }
}
