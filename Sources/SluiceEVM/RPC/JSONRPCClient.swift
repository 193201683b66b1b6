public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import SluiceCore

/// A JSON-RPC client for one chain endpoint: one request per call, retried with backoff
/// when the endpoint does not answer. Errors never carry the URL's path or query.
public struct JSONRPCClient: Sendable {
    public let configuration: RPCConfiguration
    let http: HTTPClient
    let logger: Logger

    public init(configuration: RPCConfiguration, http: HTTPClient = .shared, logger: Logger = Logger(label: "sluice.evm.rpc")) {
        self.configuration = configuration
        self.http = http
        self.logger = logger
    }

    /// The `result` of `method`; `.null` when the node answers null (unknown hash, say).
    public func call(_ method: String, _ params: [JSONValue]) async throws(RPCError) -> JSONValue {
        let body = JSONValue.object([
            "jsonrpc": .string("2.0"), "id": .integer(1), "method": .string(method), "params": .array(params),
        ]).compactJSON()
        var attempt = 0
        var wait = configuration.backoff
        while true {
            do {
                return try await send(method, body)
            } catch let error where Self.isRetryable(error) && attempt < configuration.retries {
                attempt += 1
                logger.debug("retrying \(method) after: \(error)")
                try? await Task.sleep(for: wait)
                wait *= 2
            }
        }
    }

    static func isRetryable(_ error: RPCError) -> Bool {
        if case .unreachable = error { return true }
        return false
    }

    func send(_ method: String, _ body: String) async throws(RPCError) -> JSONValue {
        let endpoint = configuration.redactedEndpoint
        var request = HTTPClientRequest(url: configuration.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let bytes: [UInt8]
        let status: HTTPResponseStatus
        do {
            let response = try await http.execute(request, timeout: .init(configuration.requestTimeout))
            status = response.status
            var buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
            bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            throw .unreachable(endpoint: endpoint, detail: Self.describe(error))
        }
        if status.code >= 500 || status.code == 429 {
            throw .unreachable(endpoint: endpoint, detail: "HTTP \(status.code)")
        }
        guard let answer = try? JSONValue.parse(bytes), answer.objectValue != nil else {
            throw .malformed(method: method, detail: "HTTP \(status.code), not a JSON object")
        }
        if let error = answer["error"], !error.isNull {
            let code = Int(error["code"]?.int64Value ?? 0)
            let message = String((error["message"]?.stringValue ?? "unknown error").prefix(300))
            throw .rpc(code: code, message: message)
        }
        guard let result = answer["result"] else { throw .malformed(method: method, detail: "no result") }
        return result
    }

    /// A short reason without URLs (AsyncHTTPClient's errors may print the request).
    static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .remoteConnectionClosed: return "connection closed"
            default: break
            }
        }
        let text = String(describing: error)
        if text.contains("refused") || text.contains("connectionRefused") { return "connection refused" }
        if text.contains("imeout") { return "timed out" }
        return "\(type(of: error))"
    }
}

extension Duration {
    static func *= (lhs: inout Duration, rhs: Int) { lhs = lhs * rhs }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
