import SluiceCore

/// Which images an environment runs: its `allowedImages` (`name:tag`, or `name` for any
/// tag), and a `checksum` given by the consumer must be the image's digest.
enum ImagePolicy {
    static func allows(_ container: ContainerSection, in environment: ComputeEnvironment) -> Bool {
        (environment.backend.docker?.allowedImages ?? []).contains { $0 == container.imageReference || $0 == container.image }
    }

    /// The reference the job runs: pinned by digest when a checksum is given.
    static func reference(of container: ContainerSection) -> String {
        container.checksum.isEmpty ? container.imageReference : "\(container.image)@\(container.checksum)"
    }

    /// Whether `checksum` is a well-formed image digest.
    static func isDigest(_ checksum: String) -> Bool {
        guard checksum.hasPrefix("sha256:") else { return false }
        let hex = checksum.dropFirst("sha256:".count)
        return hex.count == 64 && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// The digests an image answers to: its id (the config digest) and the manifest
    /// digests the engine recorded (`name@sha256:...`).
    static func digests(of image: ImageInspect) -> Set<String> {
        var out: Set<String> = [image.Id]
        for repoDigest in image.RepoDigests ?? [] {
            if let at = repoDigest.lastIndex(of: "@") { out.insert(String(repoDigest[repoDigest.index(after: at)...])) }
        }
        return out
    }
}
