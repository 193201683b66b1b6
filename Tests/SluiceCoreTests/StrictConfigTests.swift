import Foundation
import SluiceCore
import Testing

/// A config the node cannot honour exactly is refused when it is read, naming the key:
/// a misspelled or unsupported key would otherwise leave a default in force unseen.
@Suite struct StrictConfigTests {
    @Test(arguments: [
        (#"{"replicas": 3}"#, "replicas", "unknown key \"replicas\""),
        (#"{"database": "mysql://db/sluice"}"#, "database", "database must be"),
        (#"{"database": "postgres://u:secret@db/sluice"}"#, "database", "must not hold a password"),
        (#"{"database": 5432}"#, "database", "type"),
        (#"{"environments": [{"id": "a", "maxJob": 3}]}"#, "environments.0.maxJob", "unknown key \"maxJob\""),
        (#"{"environments": [{"id": "a", "backend": "kubernetes"}]}"#, "environments.0.backend", "backend must be"),
        (#"{"environments": [{"id": "a", "backend": "slurm"}]}"#, "environments.0.backend", "needs a \"slurm\" object"),
        (#"{"environments": [{"id": "a", "slurm": {}}]}"#, "environments.0.slurm", "slurm backend only"),
        (#"{"environments": [{"id": "a", "backend": "docker", "slurm": {}}]}"#, "environments.0.slurm", "slurm backend only"),
        (#"{"environments": [{"id": "a", "backend": "slurm", "allowedImages": ["x"], "slurm": {}}]}"#, "environments.0.allowedImages", "docker backend only"),
        (#"{"environments": [{"id": "a", "backend": "slurm", "slurm": {"restURL": "http://h:1", "tokenFile": "/t", "user": "u", "partition": "p", "partiton": "q"}}]}"#,
         "environments.0.slurm.partiton", "unknown key \"partiton\""),
        (#"{"environments": [{"id": "a", "backend": "slurm", "slurm": {"restURL": "unix:///s", "tokenFile": "/t", "user": "u", "partition": "p"}}]}"#,
         "environments.0.slurm.restURL", "must be http://host:port"),
        (#"{"environments": [{"id": "a", "backend": "slurm", "slurm": {"restURL": "http://h:1", "tokenFile": "/t", "partition": "p"}}]}"#,
         "environments.0.slurm.user", "missing"),
        (#"{"environments": [{"id": "a", "backend": "slurm", "slurm": {"restURL": "http://h:1", "tokenFile": "/t", "user": "u", "partition": "p", "apiVersion": "v0.0.40"}}]}"#,
         "environments.0.slurm.apiVersion", "apiVersion must be one of v0.0.38"),
        (#"{"environments": [{"id": "a", "allowedImages": ["python:3.11"]}]}"#, "environments.0.allowedImages", "docker backend only"),
        (#"{"environments": [{"id": "a", "backend": "docker", "dockerEndpoints": ["ftp://x"]}]}"#, "environments.0.dockerEndpoints.0", "must be unix"),
        (#"{"sharedDir": "relative/dir"}"#, "sharedDir", "absolute path"),
        (#"{"port": "8030"}"#, "port", "type"),
        (#"{"metricsPublic": "yes"}"#, "metricsPublic", "type"),
        (#"{"operatorTokenFile": 7}"#, "operatorTokenFile", "type"),
        (#"{"operatorToken": "secret"}"#, "operatorToken", "unknown key \"operatorToken\""),
        (#"{"environments": [{"id": "a", "nCPU": "two"}]}"#, "environments.0.nCPU", "type"),
    ])
    func aKeyTheNodeCannotHonourIsRefusedByName(_ json: String, _ path: String, _ reason: String) throws {
        let refused = try #require(configRefusal(json), "\(json) was accepted")
        #expect(refused.path == path, "\(json): \(refused)")
        #expect(refused.reason.contains(reason), "\(json): \(refused)")
    }

    @Test func everyKnownKeyStillReads() throws {
        let json = #"""
        {"host": "0.0.0.0", "port": 8031, "chainId": 8996, "dataDir": "/d", "publicURL": "https://n", "maxRequestBodyBytes": 4096,
         "localFileRoots": ["/srv"], "jobsDir": "/j", "sharedDir": "/shared", "sandboxUids": [2000, 2010], "interruptedJobRetries": 0,
         "fetch": {"allowNetworks": ["10.0.0.0/8"]}, "database": "postgres://sluice@db.internal:5433/node?sslmode=require",
         "databasePasswordFile": "/run/secrets/pg", "operatorTokenFile": "/run/secrets/operator", "metricsPublic": true,
         "environments": [{"id": "c", "backend": "docker", "dockerEndpoints": ["/run/p.sock"], "allowedImages": ["python:3.11"],
                           "pullImages": true, "maxJobs": 3}]}
        """#
        let config = try JSONDecoder().decode(NodeConfig.self, from: Data(json.utf8))
        #expect(config.port == 8031 && config.sandboxUids == [2000, 2010] && config.interruptedJobRetries == 0)
        #expect(config.sharedDir == "/shared")
        let docker = try #require(config.environments.first?.backend.docker)
        #expect(docker.endpoints == [.unix(path: "/run/p.sock")] && docker.pullImages)
        #expect(config.problems().isEmpty, "\(config.problems())")
        #expect(config.database == .postgres(PostgresURL(user: "sluice", host: "db.internal", port: 5433, name: "node", tls: .require)))
        #expect(config.databasePasswordFile == "/run/secrets/pg")
        #expect(config.operatorTokenFile == "/run/secrets/operator" && config.metricsPublic)
    }

    @Test func aSlurmEnvironmentReadsWithItsDefaultsAndWritesBackTheSame() throws {
        let json = #"""
        {"environments": [{"id": "s", "backend": "slurm", "runtimes": {"python:3.11": "/shared/py"},
                           "slurm": {"restURL": "http://10.0.0.5:6820/", "tokenFile": "/etc/sluice/slurm.jwt", "user": "sluice",
                                     "partition": "debug", "qos": "normal"}}]}
        """#
        let config = try JSONDecoder().decode(NodeConfig.self, from: Data(json.utf8))
        let environment = try #require(config.environments.first)
        let slurm = try #require(environment.backend.slurm)
        #expect(slurm.restURL.description == "10.0.0.5:6820" && slurm.restURL.baseURL == "http://10.0.0.5:6820")
        #expect(slurm.apiVersion == .v0_0_38 && slurm.account == nil && slurm.qos == "normal" && slurm.user == "sluice")
        #expect(config.problems().isEmpty, "\(config.problems())")
        let again = try JSONDecoder().decode(ComputeEnvironment.self, from: JSONEncoder().encode(environment))
        #expect(again == environment)
    }
}

/// Where and why a node config is refused when it is read: the coding path (`fetch.allowNetworks.1`)
/// and the decoder's reason ("type" for a wrong type); nil when it reads.
func configRefusal(_ json: String) -> (path: String, reason: String)? {
    func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
    do {
        _ = try JSONDecoder().decode(NodeConfig.self, from: Data(json.utf8))
        return nil
    } catch let DecodingError.dataCorrupted(context) {
        return (path(context.codingPath), context.debugDescription)
    } catch let DecodingError.keyNotFound(key, context) {
        return (path(context.codingPath + [key]), "missing")
    } catch let DecodingError.typeMismatch(_, context) {
        return (path(context.codingPath), "type")
    } catch {
        return ("", "\(error)")
    }
}
