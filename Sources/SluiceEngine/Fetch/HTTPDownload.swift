import AsyncHTTPClient
import Foundation
import NIOCore

/// One http(s) download to a file, stopped as soon as it passes `maxBytes` (by the
/// announced length or by what arrived) or `timeout`.
///
/// AsyncHTTPClient rather than URLSession: it is already linked for the Docker API and
/// the SDK, streams with async/await without a delegate, and follows redirects only over
/// http(s), at most five.
struct HTTPDownload {
    let url: URL
    let destination: URL
    let maxBytes: Int64
    let timeout: Double

    private static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(redirectConfiguration: .follow(max: 5, allowCycles: false)))

    func run() async throws {
        guard FileManager.default.createFile(atPath: destination.path, contents: nil, attributes: [.posixPermissions: 0o644]),
              let file = FileHandle(forWritingAtPath: destination.path) else { throw FetchError.cannotWrite }
        defer { try? file.close() }
        let seconds = timeout
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await transfer(into: file) }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                throw FetchError.timedOut(seconds: seconds)
            }
            // Whichever ends first decides; the other is cancelled.
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func transfer(into file: FileHandle) async throws {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        let response: HTTPClientResponse
        do {
            response = try await Self.client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw FetchError.timedOut(seconds: timeout)
        } catch {
            throw FetchError.unreachable
        }
        guard (200..<300).contains(response.status.code) else { throw FetchError.httpStatus(Int(response.status.code)) }
        if let announced = response.headers.first(name: "content-length").flatMap(Int64.init), announced > maxBytes {
            throw FetchError.tooLarge(limit: maxBytes)
        }
        var received: Int64 = 0
        do {
            for try await chunk in response.body {
                received += Int64(chunk.readableBytes)
                guard received <= maxBytes else { throw FetchError.tooLarge(limit: maxBytes) }
                do { try file.write(contentsOf: Data(chunk.readableBytesView)) } catch { throw FetchError.cannotWrite }
            }
        } catch let error as FetchError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw FetchError.unreachable
        }
    }
}
