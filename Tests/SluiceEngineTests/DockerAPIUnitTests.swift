import Foundation
import SluiceCore
@testable import SluiceEngine
import Testing

/// The Docker-API backend's pieces that need no engine.
@Suite("Docker-API backend pieces")
struct DockerAPIUnitTests {
    @Test func framesAreDemultiplexedAcrossChunkBoundaries() {
        final class Sink: @unchecked Sendable { var bytes: [UInt8] = [] }
        let sink = Sink()
        var demux = LogDemultiplexer { sink.bytes += $0 }
        func frame(_ stream: UInt8, _ text: String) -> [UInt8] {
            let payload = Array(text.utf8)
            let n = UInt32(payload.count)
            return [stream, 0, 0, 0, UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + payload
        }
        let all = frame(1, "out line\n") + frame(2, "err line\n") + frame(1, "") + frame(1, "last\n")
        for chunk in stride(from: 0, to: all.count, by: 3).map({ Array(all[$0..<min($0 + 3, all.count)]) }) {
            demux.feed(chunk)
        }
        demux.finish()
        #expect(String(decoding: sink.bytes, as: UTF8.self) == "out line\nerr line\nlast\n")
    }

    @Test func theEndpointWithFewestJobsGetsTheNext() throws {
        let a = try #require(DockerEndpointAddress("unix:///run/a.sock"))
        let b = try #require(DockerEndpointAddress("tcp://10.0.0.2:2375"))
        let pool = EndpointPool(clients: [DockerClient(endpoint: a), DockerClient(endpoint: b)])
        let first = try #require(pool.lease())
        let second = try #require(pool.lease())
        #expect(first.index == 0 && second.index == 1)
        var third: EndpointLease? = pool.lease()
        #expect(third?.index == 0)
        #expect(pool.currentLoad == [2, 1])
        third = nil
        #expect(pool.currentLoad == [1, 1])
        _ = (first, second, third)
    }

    @Test func endpointsParse() {
        #expect(DockerEndpointAddress("unix:///run/podman/podman.sock") == .unix(path: "/run/podman/podman.sock"))
        #expect(DockerEndpointAddress("/var/run/docker.sock") == .unix(path: "/var/run/docker.sock"))
        #expect(DockerEndpointAddress("tcp://engine.internal:2375") == .tcp(host: "engine.internal", port: 2375))
        for bad in ["", "unix://relative", "tcp://host", "tcp://:2375", "tcp://h:0", "http://h:1", "tcp://h:99999"] {
            #expect(DockerEndpointAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func dockerEnvironmentsAreDecodedWithDefaultsAndValidated() throws {
        let json = #"{"id": "c", "backend": "docker", "dockerEndpoints": ["unix:///run/p.sock"], "allowedImages": ["python:3.11"]}"#
        let environment = try JSONDecoder().decode(ComputeEnvironment.self, from: Data(json.utf8))
        #expect(environment.backend.docker?.pullImages == false)
        #expect(environment.problems().isEmpty, "\(environment.problems())")
        var broken = environment
        broken.backend = .docker(DockerSettings(endpoints: [], allowedImages: []))
        #expect(broken.problems().count == 2, "\(broken.problems())")
        // What the config cannot say is refused when it is read, naming the key.
        let refused: [(String, String)] = [
            (#"{"id": "c", "backend": "kubernetes"}"#, "backend must be"),
            (#"{"id": "c", "backend": "docker", "dockerEndpoints": ["nowhere"]}"#, "must be unix:///path"),
            (#"{"id": "c", "dockerEndpoints": ["/run/p.sock"]}"#, "applies to the docker backend only"),
            (#"{"id": "c", "maxJob": 3}"#, "unknown key \"maxJob\""),
        ]
        for (json, reason) in refused {
            let error = #expect(throws: DecodingError.self) { try JSONDecoder().decode(ComputeEnvironment.self, from: Data(json.utf8)) }
            #expect(error.map { "\($0)" }?.contains(reason) == true, "\(json): \(String(describing: error))")
        }
        let plain = try JSONDecoder().decode(ComputeEnvironment.self, from: Data(#"{"id": "p"}"#.utf8))
        #expect(plain.backend == .bubblewrap)
        let roundTrip = try JSONDecoder().decode(ComputeEnvironment.self, from: JSONEncoder().encode(environment))
        #expect(roundTrip == environment)
    }

    @Test func imagePolicyAndDigests() {
        let environment = ComputeEnvironment(id: "c", backend: .docker(DockerSettings(endpoints: [], allowedImages: ["python:3.11", "node"])))
        #expect(ImagePolicy.allows(ContainerSection(entrypoint: "x", image: "python", tag: "3.11"), in: environment))
        #expect(!ImagePolicy.allows(ContainerSection(entrypoint: "x", image: "python", tag: "3.12"), in: environment))
        #expect(ImagePolicy.allows(ContainerSection(entrypoint: "x", image: "node", tag: "any"), in: environment))
        let digest = "sha256:" + String(repeating: "0a", count: 32)
        #expect(ImagePolicy.reference(of: ContainerSection(entrypoint: "x", image: "node", tag: "18", checksum: digest)) == "node@\(digest)")
        #expect(ImagePolicy.isDigest(digest) && !ImagePolicy.isDigest("sha256:00") && !ImagePolicy.isDigest(digest.uppercased()))
        let image = ImageInspect(Id: "sha256:aa", RepoDigests: ["r/x@sha256:bb"], Config: nil)
        #expect(ImagePolicy.digests(of: image) == ["sha256:aa", "sha256:bb"])
    }

    @Test func theContainerGetsEveryRestrictionAndTheContractsMounts() throws {
        let workspace = Workspace(root: URL(fileURLWithPath: "/srv/jobs/j1"))
        let limits = JobLimits(memoryBytes: 256 << 20, maxProcesses: 32, cpus: 1.5, diskBytes: 1 << 30,
                               wallTimeSeconds: 60, algorithmLogBytes: 1 << 20)
        let pool = EndpointPool(clients: [DockerClient(endpoint: .unix(path: "/run/p.sock"))])
        let image = PreparedContainerImage(id: "sha256:abc", reference: "python:3.11", definesPath: false, lease: try #require(pool.lease()))
        let request = SandboxRequest(jobId: "j1", workspace: workspace, command: ["python3", "/data/transformations/algorithm"],
                                     environment: ["ALGO": "/data/transformations/algorithm"],
                                     container: ContainerSection(entrypoint: "python3 $ALGO", image: "python", tag: "3.11"),
                                     image: .container(image), limits: limits, user: SandboxUser(uid: 65534, gid: 65534))
        let body = ContainerSpec.body(request, image: image, nodeMarker: "n", maxJobs: 2)
        #expect(body.Image == "sha256:abc" && body.Entrypoint == ["python3"] && body.Cmd == ["/data/transformations/algorithm"])
        #expect(body.User == "65534:65534" && body.NetworkDisabled && body.HostConfig.NetworkMode == "none")
        #expect(body.HostConfig.ReadonlyRootfs && body.HostConfig.Tmpfs["/tmp"]?.contains("size=\(256 << 20)") == true)
        #expect(body.HostConfig.CapDrop == ["ALL"] && body.HostConfig.SecurityOpt == ["no-new-privileges"] && !body.HostConfig.Privileged)
        #expect(body.HostConfig.Memory == 256 << 20 && body.HostConfig.MemorySwap == 256 << 20)
        #expect(body.HostConfig.NanoCpus == 1_500_000_000 && body.HostConfig.PidsLimit == 32)
        #expect(Set(body.HostConfig.Ulimits.map(\.Name)) == ["nofile", "nproc", "fsize"])
        #expect(body.HostConfig.Binds == [
            "/srv/jobs/j1/inputs:/data/inputs:ro", "/srv/jobs/j1/ddos:/data/ddos:ro",
            "/srv/jobs/j1/transformations:/data/transformations:ro",
            "/srv/jobs/j1/outputs:/data/outputs:rw", "/srv/jobs/j1/logs:/data/logs:rw",
        ])
        #expect(body.Env.contains("HOME=/tmp") && body.Env.contains { $0.hasPrefix("PATH=") })
        #expect(body.Labels == [ContainerSpec.jobLabel: "j1", ContainerSpec.nodeLabel: "n"])
    }
    @Test func theContainerKeepsNoLogOnTheEngineAndCarriesItsOwnLimits() throws {
        let body = ContainerCreateBody(
            Image: "sha256:abc", Cmd: ["/data/transformations/algorithm"], Entrypoint: ["python3"], Env: [], User: "1:1",
            WorkingDir: "/", Labels: [:],
            HostConfig: .init(Tmpfs: [:], Binds: [], Memory: 1, MemorySwap: 1, NanoCpus: 1, PidsLimit: 1, Ulimits: []))
        #expect(body.HostConfig.LogConfig == .init(Type: "none"))
        let limited = ContainerSpec.withEngineLimits(body, seccompOption: "seccomp=/srv/jobs/j1/seccomp.json", wallTimeSeconds: 60)
        #expect(limited.Entrypoint == ["timeout", "-s", "KILL", "65", "python3"])
        #expect(limited.Cmd == ["/data/transformations/algorithm"])
        #expect(limited.HostConfig.SecurityOpt == ["no-new-privileges", "seccomp=/srv/jobs/j1/seccomp.json"])
        let json = String(decoding: try JSONEncoder().encode(limited), as: UTF8.self)
        #expect(json.contains(#""LogConfig":{"Type":"none"}"#), "\(json)")
        #expect(ContainerSpec.deadlineProgramCouldNotRun(exitCode: 127, firstOutput: "timeout: failed to run command 'x': No such file or directory"))
        #expect(!ContainerSpec.deadlineProgramCouldNotRun(exitCode: 127, firstOutput: "my own error"))
    }

    /// podman's own create body says what the compatible one says, plus the engine's deadline.
    @Test func theLibpodBodyCarriesEveryRestrictionAndTheEnginesDeadline() throws {
        let body = ContainerCreateBody(
            Image: "sha256:abc", Cmd: ["/data/transformations/algorithm"], Entrypoint: ["python3"],
            Env: ["HOME=/tmp", "A=b=c"], User: "65534:65534", WorkingDir: "/data/outputs", Labels: ["k": "v"],
            HostConfig: .init(Tmpfs: ["/tmp": "rw,nosuid,nodev,size=64,mode=1777"],
                              Binds: ["/srv/a:b/inputs:/data/inputs:ro", "/srv/outputs:/data/outputs:rw"],
                              Memory: 256 << 20, MemorySwap: 256 << 20, NanoCpus: 1_500_000_000, PidsLimit: 32,
                              Ulimits: [.init(Name: "nofile", Soft: 1024, Hard: 1024)]))
        let libpod = LibpodCreateBody(compatible: body, name: "sluice-j1", seccompProfilePath: "/srv/seccomp.json",
                                      timeoutSeconds: ContainerSpec.engineDeadline(wallTimeSeconds: 60))
        #expect(libpod.timeout == 65 && libpod.entrypoint == ["python3"] && libpod.command == ["/data/transformations/algorithm"])
        #expect(libpod.env == ["HOME": "/tmp", "A": "b=c"] && libpod.user == "65534:65534" && libpod.labels == ["k": "v"])
        #expect(libpod.netns.nsmode == "none" && libpod.ipcns.nsmode == "private" && libpod.read_only_filesystem)
        #expect(libpod.cap_drop == ["ALL"] && libpod.no_new_privileges && !libpod.privileged)
        #expect(libpod.seccomp_profile_path == "/srv/seccomp.json" && libpod.log_configuration.driver == "none")
        #expect(libpod.resource_limits.memory == .init(limit: 256 << 20, swap: 256 << 20))
        #expect(libpod.resource_limits.cpu == .init(quota: 150_000, period: 100_000) && libpod.resource_limits.pids.limit == 32)
        #expect(libpod.r_limits == [.init(type: "nofile", soft: 1024, hard: 1024)])
        #expect(libpod.mounts.contains(.init(destination: "/tmp", type: "tmpfs", source: "tmpfs",
                                             options: ["rw", "nosuid", "nodev", "size=64", "mode=1777"])))
        #expect(libpod.mounts.contains(.init(destination: "/data/inputs", type: "bind", source: "/srv/a:b/inputs", options: ["rbind", "ro"])))
        #expect(libpod.mounts.contains(.init(destination: "/data/outputs", type: "bind", source: "/srv/outputs", options: ["rbind", "rw"])))
        #expect(Set(libpod.mounts.map(\.destination)) == ["/tmp", "/run", "/var/tmp", "/data/inputs", "/data/outputs"])
        let json = String(decoding: try JSONEncoder().encode(libpod), as: UTF8.self)
        #expect(json.contains(#""timeout":65"#) && json.contains(#""r_limits":"#), "\(json)")
        #expect(EngineVersion(Components: [.init(Name: "Podman Engine", Version: "4.3.1")]).hasLibpodTimeout)
        #expect(!EngineVersion(Components: [.init(Name: "Podman Engine", Version: "3.4.4")]).hasLibpodTimeout)
        #expect(!EngineVersion(Components: [.init(Name: "Engine", Version: "24.0.7")]).hasLibpodTimeout)
    }

    @Test func theSeccompProfileRefusesNamespacesOnly() throws {
        struct Rule: Decodable { var names: [String]; var action: String; var errnoRet: Int; var args: [Arg]? }
        struct Arg: Decodable { var index: Int; var value: UInt64; var valueTwo: UInt64; var op: String }
        struct Profile: Decodable { var defaultAction: String; var syscalls: [Rule] }
        let profile = try JSONDecoder().decode(Profile.self, from: try SeccompProfile.json())
        #expect(profile.defaultAction == "SCMP_ACT_ALLOW")
        let refused = profile.syscalls.filter { $0.args == nil }.flatMap(\.names)
        #expect(refused.contains("unshare") && refused.contains("setns") && refused.contains("clone3"))
        #expect(!refused.contains("clone"), "threads and fork need clone")
        let cloneFlags = profile.syscalls.filter { $0.names == ["clone"] }.compactMap { $0.args?.first }
        #expect(cloneFlags.contains { $0.value == 0x1000_0000 && $0.valueTwo == 0x1000_0000 && $0.op == "SCMP_CMP_MASKED_EQ" })
        #expect(cloneFlags.allSatisfy { $0.index == 0 && $0.value == $0.valueTwo })
        #expect(try SeccompProfile.securityOption(engineIsPodman: true, profilePath: "/p.json") == "seccomp=/p.json")
        #expect(try SeccompProfile.securityOption(engineIsPodman: false, profilePath: "/p.json").hasPrefix(#"seccomp={"#))
    }
}
