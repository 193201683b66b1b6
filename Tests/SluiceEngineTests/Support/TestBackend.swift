import Foundation
import SluiceCore
import SluiceTesting
import Testing

/// The backends the behaviour and attack suite runs against.
enum TestBackend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case bubblewrap
    case podman
    /// The Slurm backend on the harness of `scripts/slurm-test-env.sh`.
    case slurm

    var testDescription: String { rawValue }

    /// bubblewrap always; podman when SLUICE_PODMAN_SOCKET is set and slurm when
    /// SLUICE_SLURM_REST_URL is (CI sets both). A set but unusable socket or cluster fails
    /// those cases: the engine refuses to start.
    static var configured: [TestBackend] {
        [.bubblewrap] + (PodmanTestEnvironment.isConfigured ? [.podman] : [])
            + (SlurmTestEnvironment.isConfigured ? [.slurm] : [])
    }
}

/// The podman engine and image of `scripts/podman-test-env.sh start`.
enum PodmanTestEnvironment {
    static let disabledReason: Comment =
        "SLUICE_PODMAN_SOCKET is not set: run `eval \"$(scripts/podman-test-env.sh start)\"` to test the Docker-API backend"

    static var socket: String? {
        guard let value = ProcessInfo.processInfo.environment["SLUICE_PODMAN_SOCKET"], !value.isEmpty else { return nil }
        return value
    }

    static var isConfigured: Bool { socket != nil }

    static func requireSocket() throws -> String {
        guard let socket else { throw PodmanTestError.notConfigured }
        return socket
    }

    /// `name:tag` of the image with python3.
    static var image: String {
        ProcessInfo.processInfo.environment["SLUICE_PODMAN_IMAGE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "localhost/sluice-test-python:bookworm"
    }

    static var imageNameAndTag: (String, String) {
        let reference = image
        guard let colon = reference.lastIndex(of: ":"), !reference[colon...].contains("/") else { return (reference, "latest") }
        return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
    }

    static func nameAndTag(of reference: String) -> (String, String) {
        guard let colon = reference.lastIndex(of: ":"), !reference[colon...].contains("/") else { return (reference, "latest") }
        return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
    }

    /// The test image with `timeout` removed (made once with the podman CLI, which shares
    /// the service's storage): what a minimal image without coreutils looks like here.
    static func imageWithoutTimeout() async throws -> String {
        let reference = "localhost/sluice-test-notimeout:1"
        if (try? await podman(["image", "exists", reference])) == 0 { return reference }
        let name = "sluice-notimeout-\(UUID().uuidString)"
        guard try await podman(["run", "--name", name, "--user", "0", image, "rm", "/usr/bin/timeout"]) == 0,
              try await podman(["commit", "-q", name, reference]) == 0 else {
            _ = try? await podman(["rm", "-f", name])
            throw PodmanTestError.cannotMakeImage
        }
        _ = try await podman(["rm", "-f", name])
        return reference
    }

    private static func podman(_ arguments: [String]) async throws -> Int32 {
        try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/podman"), arguments).status
    }

    enum PodmanTestError: Error { case notConfigured, cannotMakeImage }
}

/// The single-node Slurm of `scripts/slurm-test-env.sh start`.
enum SlurmTestEnvironment {
    static let disabledReason: Comment =
        "SLUICE_SLURM_REST_URL is not set: run `eval \"$(scripts/slurm-test-env.sh start)\"` to test the Slurm backend"

    private static func variable(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    static var isConfigured: Bool { variable("SLUICE_SLURM_REST_URL") != nil }
    /// CI must test the Slurm backend: there a missing harness fails instead of skipping.
    static var isCI: Bool { variable("CI") != nil }
    /// Whether the harness's slurmd limits memory (cgroups); without them nothing can.
    static var enforcesMemory: Bool { variable("SLUICE_SLURM_MEMORY_ENFORCED") == "1" }

    static func settings(partition: String? = nil) throws -> SlurmSettings {
        guard let url = variable("SLUICE_SLURM_REST_URL"), let endpoint = SlurmRESTEndpoint(url),
              let tokenFile = variable("SLUICE_SLURM_TOKEN_FILE"), let user = variable("SLUICE_SLURM_USER") else {
            throw SlurmTestError.notConfigured
        }
        return SlurmSettings(restURL: endpoint, tokenFile: tokenFile, user: user,
                             partition: partition ?? variable("SLUICE_SLURM_PARTITION") ?? "debug")
    }

    enum SlurmTestError: Error { case notConfigured }
}
