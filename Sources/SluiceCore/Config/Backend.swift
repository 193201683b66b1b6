/// Which compute backend runs an environment's jobs, with the settings only that
/// backend has. Parsed once from the config; nothing downstream compares names.
public enum Backend: Sendable, Equatable {
    /// Built in: bubblewrap sandboxes on this machine.
    case bubblewrap
    /// A Docker Engine API (podman's, say).
    case docker(DockerSettings)
    /// A Slurm cluster through slurmrestd: each job is a batch job running the same
    /// bubblewrap sandbox on a compute node.
    case slurm(SlurmSettings)

    /// The name the config uses (`"backend": "docker"`).
    public var name: String {
        switch self {
        case .bubblewrap: return "bubblewrap"
        case .docker: return "docker"
        case .slurm: return "slurm"
        }
    }

    public var docker: DockerSettings? {
        if case .docker(let settings) = self { return settings }
        return nil
    }

    public var slurm: SlurmSettings? {
        if case .slurm(let settings) = self { return settings }
        return nil
    }
}

/// The `docker` backend's settings.
public struct DockerSettings: Sendable, Equatable {
    /// Engine endpoints; the environment's jobs are spread over them.
    public var endpoints: [DockerEndpointAddress]
    /// Images jobs may run, as `name:tag`, or `name` for any tag.
    public var allowedImages: [String]
    /// Whether an allowed image missing from an engine may be pulled.
    public var pullImages: Bool

    public init(endpoints: [DockerEndpointAddress], allowedImages: [String], pullImages: Bool = false) {
        self.endpoints = endpoints
        self.allowedImages = allowedImages
        self.pullImages = pullImages
    }
}

extension Backend {
    /// Adds an image to a docker backend's allowed list; a bubblewrap backend has none.
    public mutating func addAllowedImage(_ image: String) {
        guard case .docker(var settings) = self else { return }
        settings.allowedImages.append(image)
        self = .docker(settings)
    }
}
