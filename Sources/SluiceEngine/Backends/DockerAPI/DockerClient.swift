import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceCore

/// The Docker Engine API calls the backend makes, on one endpoint.
///
/// Built on AsyncHTTPClient (already in the node's dependency graph through
/// Hummingbird's testing support): it speaks HTTP/1.1 over unix sockets
/// (`http+unix://`) and TCP, pools connections, and cancels a request with its task,
/// which a hand-written socket client would all have to redo.
struct DockerClient: Sendable {
    static let apiVersion = "v1.41"
    /// podman's own API; every podman from 4.0 serves it.
    static let libpodAPIVersion = "v4.0.0"

    let endpoint: DockerEndpointAddress
    private let http: HTTPClient

    init(endpoint: DockerEndpointAddress, http: HTTPClient = .shared) {
        self.endpoint = endpoint
        self.http = http
    }

    func ping() async throws {
        _ = try await call(.GET, "/_ping", operation: "answer a ping", timeout: .seconds(30))
    }

    func version() async throws -> EngineVersion {
        let body = try await call(.GET, "/version", operation: "tell its version", timeout: .seconds(30))
        return try decode(EngineVersion.self, body, operation: "tell its version")
    }

    /// nil when the engine has no such image.
    func inspectImage(_ reference: String) async throws -> ImageInspect? {
        do {
            let body = try await call(.GET, "/images/\(Self.pathComponent(reference))/json", operation: "inspect an image",
                                      timeout: .seconds(30))
            return try decode(ImageInspect.self, body, operation: "inspect an image")
        } catch let error as DockerAPIError where error.isNotFound {
            return nil
        }
    }

    /// Pulls `name` at `tagOrDigest` (`latest`, or `sha256:...`); the engine streams
    /// progress lines, one of which carries an error when the pull fails.
    func pullImage(name: String, tagOrDigest: String, timeout: Duration) async throws {
        let query = "fromImage=\(Self.queryValue(name))&tag=\(Self.queryValue(tagOrDigest))"
        let body = try await call(.POST, "/images/create?\(query)", operation: "pull an image", timeout: timeout,
                                  maxResponseBytes: 16 << 20)
        for line in body.split(separator: UInt8(ascii: "\n")) {
            if let progress = try? JSONDecoder().decode(PullProgress.self, from: Data(line)), let error = progress.error {
                throw DockerAPIError(operation: "pull an image", kind: .status(500), detail: error)
            }
        }
    }

    func createContainer(name: String, _ body: ContainerCreateBody) async throws -> String {
        let data = try JSONEncoder().encode(body)
        let answer = try await call(.POST, "/containers/create?name=\(Self.queryValue(name))", body: data,
                                    operation: "create the container", timeout: .seconds(60))
        return try decode(ContainerCreated.self, answer, operation: "create the container").Id
    }

    /// podman's own create (`LibpodCreateBody`), for what the compatible API cannot say.
    func createLibpodContainer(_ body: LibpodCreateBody) async throws -> String {
        let data = try JSONEncoder().encode(body)
        let answer = try await call(.POST, "/libpod/containers/create", version: Self.libpodAPIVersion, body: data,
                                    operation: "create the container", timeout: .seconds(60))
        return try decode(ContainerCreated.self, answer, operation: "create the container").Id
    }

    func startContainer(_ id: String) async throws {
        _ = try await call(.POST, "/containers/\(Self.pathComponent(id))/start", operation: "start the container",
                           timeout: .seconds(60))
    }

    /// Blocks until the container stops; returns its exit code.
    func waitContainer(_ id: String, timeout: Duration) async throws -> Int {
        let answer = try await call(.POST, "/containers/\(Self.pathComponent(id))/wait?condition=not-running",
                                    operation: "wait for the container", timeout: timeout)
        return try decode(ContainerWaited.self, answer, operation: "wait for the container").StatusCode
    }

    func inspectContainer(_ id: String) async throws -> ContainerInspect {
        let answer = try await call(.GET, "/containers/\(Self.pathComponent(id))/json", operation: "inspect the container",
                                    timeout: .seconds(30))
        return try decode(ContainerInspect.self, answer, operation: "inspect the container")
    }

    func killContainer(_ id: String) async throws {
        do {
            _ = try await call(.POST, "/containers/\(Self.pathComponent(id))/kill?signal=KILL", operation: "kill the container",
                               timeout: .seconds(30))
        } catch let error as DockerAPIError where error.kind == .status(409) || error.isNotFound {
            // Not running any more, or gone: either way nothing is left to kill.
        }
    }

    func removeContainer(_ id: String) async throws {
        do {
            _ = try await call(.DELETE, "/containers/\(Self.pathComponent(id))?force=true&v=true",
                               operation: "remove the container", timeout: .seconds(60))
        } catch let error as DockerAPIError where error.isNotFound {}
    }

    /// Containers (running or not) carrying `label=value`.
    func listContainers(label: String, value: String) async throws -> [ContainerSummary] {
        let filters = try JSONEncoder().encode(["label": ["\(label)=\(value)"]])
        let query = "all=true&filters=\(Self.queryValue(String(decoding: filters, as: UTF8.self)))"
        let answer = try await call(.GET, "/containers/json?\(query)", operation: "list containers", timeout: .seconds(30))
        return try decode([ContainerSummary].self, answer, operation: "list containers")
    }

    /// The container's stdout and stderr from the moment it starts, in Docker's multiplexed
    /// framing (see `LogDemultiplexer`). Returns once the engine has answered (before the container is
    /// started, so nothing is missed); the stream ends when the container stops. The
    /// engine waits while the stream is not read, so a reader holds nothing back.
    func attachOutput(_ id: String, timeout: Duration) async throws -> HTTPClientResponse.Body {
        let operation = "attach to the container"
        let request = makeRequest(.POST, "/containers/\(Self.pathComponent(id))/attach?stream=true&stdout=true&stderr=true&logs=false")
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .init(timeout))
        } catch {
            throw DockerAPIError(operation: operation, kind: .unreachable, detail: "\(error)")
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            // The engine's message says why (podman: an entrypoint that cannot run).
            let data = Array(buffer: (try? await response.body.collect(upTo: 64 << 10)) ?? ByteBuffer())
            let message = (try? JSONDecoder().decode(EngineMessage.self, from: Data(data)))?.message
            throw DockerAPIError(operation: operation, kind: .status(Int(response.status.code)), detail: message ?? "")
        }
        return response.body
    }

    // MARK: Plumbing

    private func makeRequest(_ method: HTTPMethod, _ path: String, version: String = DockerClient.apiVersion, body: Data? = nil) -> HTTPClientRequest {
        let uri = "/\(version)\(path)"
        let url: String
        switch endpoint {
        case .unix(let socket):
            url = URL(httpURLWithSocketPath: socket, uri: uri)?.absoluteString ?? "http+unix://invalid\(uri)"
        case .tcp(let host, let port):
            url = "http://\(host):\(port)\(uri)"
        }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Host", value: "docker")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return request
    }

    private func call(_ method: HTTPMethod, _ path: String, version: String = DockerClient.apiVersion, body: Data? = nil,
                      operation: String, timeout: Duration, maxResponseBytes: Int = 4 << 20) async throws -> [UInt8] {
        let request = makeRequest(method, path, version: version, body: body)
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: .init(timeout))
            bytes = try await response.body.collect(upTo: maxResponseBytes)
        } catch {
            throw DockerAPIError(operation: operation, kind: .unreachable, detail: "\(error)")
        }
        let data = Array(buffer: bytes)
        guard (200..<300).contains(Int(response.status.code)) else {
            let message = (try? JSONDecoder().decode(EngineMessage.self, from: Data(data)))?.message
            throw DockerAPIError(operation: operation, kind: .status(Int(response.status.code)),
                                 detail: message ?? String(decoding: data.prefix(512), as: UTF8.self))
        }
        return data
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: [UInt8], operation: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(data))
        } catch {
            throw DockerAPIError(operation: operation, kind: .malformedAnswer, detail: "\(error)")
        }
    }

    /// Image references and ids contain only `[A-Za-z0-9._:/@-]`; `/` stays as it is
    /// (the API routes `name/with/slashes/json`), everything else is escaped.
    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "?#%"))) ?? text
    }

    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
