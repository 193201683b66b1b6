import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceCore

/// One http(s) download to a file, stopped as soon as it passes `maxBytes` (by the
/// announced length or by what arrived) or `timeout`.
///
/// Every hop goes through the egress gate before a connection opens: its host is
/// resolved once, every address checked, and the client connects to the checked
/// address (`dnsOverride` keeps the name for the Host header, TLS SNI and certificate
/// checks). Redirects are followed here, not by the client, so each new host is
/// checked the same way; at most `maxRedirects`. Nothing a refused or redirecting
/// server answered is read or repeated.
struct HTTPDownload {
    let url: URL
    let destination: URL
    let maxBytes: Int64
    let timeout: Double
    let gate: EgressGate

    static let maxRedirects = 5

    private enum Hop {
        case done(FetchedFile)
        case redirect(URL)
    }

    func run() async throws -> FetchedFile {
        let seconds = timeout
        return try await withThrowingTaskGroup(of: FetchedFile?.self) { group in
            group.addTask { try await follow() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                throw FetchError.timedOut(seconds: seconds)
            }
            // Whichever ends first decides; the other is cancelled.
            defer { group.cancelAll() }
            guard let first = try await group.next(), let fetched = first else { throw FetchError.unreachable }
            return fetched
        }
    }

    private func follow() async throws -> FetchedFile {
        var current = url
        for _ in 0...Self.maxRedirects {
            switch try await hop(current) {
            case .done(let fetched): return fetched
            case .redirect(let next): current = next
            }
        }
        throw FetchError.tooManyRedirects(limit: Self.maxRedirects)
    }

    private func hop(_ target: URL) async throws -> Hop {
        guard let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = EgressGate.host(of: target) else { throw FetchError.unsupportedScheme }
        let address = try await gate.address(for: host)
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        // A literal host is the address checked; a name is pinned to the one checked.
        if IPAddress(host) == nil { configuration.dnsOverride = [host: address.description] }
        // One client per hop: its override map is fixed at creation.
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let outcome: Result<Hop, any Error>
        do {
            outcome = .success(try await exchange(target, client: client))
        } catch {
            outcome = .failure(error)
        }
        try? await client.shutdown()
        return try outcome.get()
    }

    private func exchange(_ target: URL, client: HTTPClient) async throws -> Hop {
        var request = HTTPClientRequest(url: target.absoluteString)
        request.method = .GET
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw FetchError.timedOut(seconds: timeout)
        } catch {
            throw FetchError.unreachable
        }
        let code = Int(response.status.code)
        if [301, 302, 303, 307, 308].contains(code) {
            guard let location = response.headers.first(name: "location"),
                  let next = URL(string: location, relativeTo: target)?.absoluteURL,
                  let scheme = next.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
                throw FetchError.badRedirect
            }
            return .redirect(next)
        }
        guard (200..<300).contains(code) else { throw FetchError.httpStatus(code) }
        if let announced = response.headers.first(name: "content-length").flatMap(Int64.init), announced > maxBytes {
            throw FetchError.tooLarge(limit: maxBytes)
        }
        let writer = try HashingWriter(destination: destination, maxBytes: maxBytes)
        do {
            for try await chunk in response.body {
                try chunk.withUnsafeReadableBytes { try writer.write($0) }
            }
        } catch let error as FetchError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw FetchError.unreachable
        }
        return .done(try writer.finish())
    }
}
