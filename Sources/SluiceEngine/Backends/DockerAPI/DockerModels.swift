/// The parts of the Docker Engine API (v1.41) bodies the backend reads or sends.

struct ImageInspect: Decodable, Sendable {
    struct Config: Decodable, Sendable {
        var Env: [String]?
    }

    var Id: String
    var RepoDigests: [String]?
    var Config: Config?
}

struct ContainerCreated: Decodable, Sendable {
    var Id: String
}

struct ContainerWaited: Decodable, Sendable {
    var StatusCode: Int
}

/// `GET /version`: podman names itself in `Components`.
struct EngineVersion: Decodable, Sendable {
    struct Component: Decodable, Sendable {
        var Name: String
        var Version: String?
    }

    var Components: [Component]?

    private var podman: Component? { (Components ?? []).first { $0.Name.lowercased().contains("podman") } }

    var isPodman: Bool { podman != nil }

    /// Podman 4 or later ("Podman Engine" 4.3.1 here): its libpod API (v4.0.0) takes
    /// `timeout`, the engine-side deadline (`LibpodCreateBody`).
    var hasLibpodTimeout: Bool {
        guard let version = podman?.Version, let major = Int(version.prefix { $0.isNumber }) else { return false }
        return major >= 4
    }
}

struct ContainerInspect: Decodable, Sendable {
    struct State: Decodable, Sendable {
        var OOMKilled: Bool?
        var ExitCode: Int?
        var Running: Bool?
    }

    var State: State?
}

struct ContainerSummary: Decodable, Sendable {
    var Id: String
    var Labels: [String: String]?
}

struct EngineMessage: Decodable, Sendable {
    var message: String?
}

/// One line of the progress stream of `POST /images/create`.
struct PullProgress: Decodable, Sendable {
    var error: String?
}

struct ContainerCreateBody: Encodable, Sendable {
    struct Ulimit: Encodable, Sendable, Equatable {
        var Name: String
        var Soft: Int64
        var Hard: Int64
    }

    struct LogConfig: Encodable, Sendable, Equatable {
        var `Type`: String
    }

    struct HostConfig: Encodable, Sendable {
        var NetworkMode = "none"
        var ReadonlyRootfs = true
        var Tmpfs: [String: String]
        var Binds: [String]
        var Memory: Int64
        var MemorySwap: Int64
        var NanoCpus: Int64
        var PidsLimit: Int64
        var CapDrop = ["ALL"]
        var SecurityOpt = ["no-new-privileges"]
        var Ulimits: [Ulimit]
        var Privileged = false
        var IpcMode = "private"
        var AutoRemove = false
        /// No log on the engine's host: the node reads the output through an attach
        /// stream and keeps only the capped `algorithm.log`.
        var LogConfig = ContainerCreateBody.LogConfig(Type: "none")
    }

    var Image: String
    var Cmd: [String]
    var Entrypoint: [String]
    var Env: [String]
    var User: String
    var WorkingDir: String
    var Hostname = "sandbox"
    var NetworkDisabled = true
    var AttachStdin = false
    var AttachStdout = true
    var AttachStderr = true
    var Tty = false
    var Labels: [String: String]
    var HostConfig: HostConfig
}
