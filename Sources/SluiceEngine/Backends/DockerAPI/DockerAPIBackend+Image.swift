import Foundation
import Logging
public import SluiceCore

extension DockerAPIBackend {
    /// Checks the image against the environment's policy on the endpoint that will run
    /// the job: allowed, present (or pulled, when the environment allows pulling), and
    /// with the consumer's checksum as one of its digests.
    public func prepareImage(_ container: ContainerSection, command: [String], environment: ComputeEnvironment,
                             log: LogFile) async throws -> SandboxImage {
        let shown = container.imageReference.prefix(128)
        guard ImagePolicy.allows(container, in: environment) else {
            let offered = (environment.backend.docker?.allowedImages ?? []).sorted()
            throw SandboxRefusal("environment \(environment.id) cannot run image \"\(shown)\"; it offers "
                + (offered.isEmpty ? "no images" : offered.joined(separator: ", ")))
        }
        guard container.checksum.isEmpty || ImagePolicy.isDigest(container.checksum) else {
            throw SandboxRefusal("the checksum of image \"\(shown)\" must be sha256: followed by 64 lowercase hex digits")
        }
        guard let lease = pools[environment.id]?.lease() else {
            throw SandboxRefusal("environment \(environment.id) has no container engine; tell the node's operator")
        }
        let client = lease.client
        let reference = ImagePolicy.reference(of: container)
        var image: ImageInspect?
        do {
            image = try await client.inspectImage(reference)
            if image == nil, !container.checksum.isEmpty {
                // Present under its tag but with another digest: report the mismatch below.
                image = try await client.inspectImage(container.imageReference)
            }
            if image == nil {
                guard environment.backend.docker?.pullImages == true else {
                    throw SandboxRefusal("image \"\(shown)\" is not on the node's container engine and environment \(environment.id) does not pull images")
                }
                log.line("pulling image \(reference)")
                try await client.pullImage(name: container.image,
                                           tagOrDigest: container.checksum.isEmpty ? container.tag : container.checksum,
                                           timeout: pullTimeout)
                image = try await client.inspectImage(reference)
            }
        } catch let error as DockerAPIError {
            logger.error("cannot prepare an image", metadata: ["endpoint": "\(client.endpoint)", "error": "\(error.description): \(error.detail)"])
            throw SandboxRefusal("image \"\(shown)\" could not be prepared: \(error.description)")
        }
        guard let image else {
            throw SandboxRefusal("image \"\(shown)\" is not available on the node's container engine")
        }
        if !container.checksum.isEmpty {
            let digests = ImagePolicy.digests(of: image)
            guard digests.contains(container.checksum) else {
                throw SandboxRefusal("image \"\(shown)\" does not match its checksum: the node's image has digest "
                    + digests.sorted().joined(separator: " and ") + ", not \(container.checksum)")
            }
        }
        let definesPath = (image.Config?.Env ?? []).contains { $0.hasPrefix("PATH=") }
        log.line("image \(reference) is \(image.Id) on \(client.endpoint)")
        return .container(PreparedContainerImage(id: image.Id, reference: reference, definesPath: definesPath, lease: lease))
    }
}
