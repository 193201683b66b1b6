import Foundation
import Testing

/// The backends the behaviour and attack suite runs against.
enum TestBackend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case bubblewrap
    case podman

    var testDescription: String { rawValue }

    /// bubblewrap always; podman when SLUICE_PODMAN_SOCKET is set (CI sets it). A set
    /// but unusable socket fails the podman cases: the engine refuses to start.
    static var configured: [TestBackend] {
        PodmanTestEnvironment.isConfigured ? [.bubblewrap, .podman] : [.bubblewrap]
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

    enum PodmanTestError: Error { case notConfigured }
}
