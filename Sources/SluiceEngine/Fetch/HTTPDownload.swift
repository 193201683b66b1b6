import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One http(s) download to a file, cancelled as soon as it passes `maxBytes` (by the
/// announced length or by what arrived) or `timeout`.
final class HTTPDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let url: URL
    private let destination: URL
    private let maxBytes: Int64
    private let timeout: Double
    // Guarded by `lock`: the delegate runs on URLSession's queue.
    private let lock = NSLock()
    private var file: FileHandle?
    private var received: Int64 = 0
    private var redirects = 0
    private var failure: FetchError?
    private var continuation: CheckedContinuation<Void, any Error>?

    init(url: URL, destination: URL, maxBytes: Int64, timeout: Double) {
        self.url = url
        self.destination = destination
        self.maxBytes = maxBytes
        self.timeout = timeout
    }

    func run() async throws {
        guard FileManager.default.createFile(atPath: destination.path, contents: nil, attributes: [.posixPermissions: 0o644]),
              let handle = FileHandle(forWritingAtPath: destination.path) else { throw FetchError.cannotWrite }
        lock.withLock { file = handle }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieAcceptPolicy = .never
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        let task = session.dataTask(with: request)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.withLock { self.continuation = continuation }
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
        try Task.checkCancellation()
    }

    private func fail(_ error: FetchError, _ task: URLSessionTask) {
        lock.withLock { if failure == nil { failure = error } }
        task.cancel()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            lock.withLock { failure = .httpStatus(http.statusCode) }
            completionHandler(.cancel)
            return
        }
        if response.expectedContentLength > maxBytes {
            lock.withLock { failure = .tooLarge(limit: maxBytes) }
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    /// Redirects stay on http(s), and only a few: a source must not lead the node to
    /// read `file://` or other schemes on its behalf.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        let scheme = request.url?.scheme?.lowercased()
        let allowed = lock.withLock { () -> Bool in
            redirects += 1
            return redirects <= 5 && (scheme == "http" || scheme == "https")
        }
        if allowed {
            completionHandler(request)
        } else {
            lock.withLock { if failure == nil { failure = .unreachable } }
            completionHandler(nil)
            task.cancel()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let tooLarge: Bool = lock.withLock {
            guard failure == nil else { return false }
            received += Int64(data.count)
            if received > maxBytes { return true }
            do { try file?.write(contentsOf: data) } catch { failure = .cannotWrite }
            return false
        }
        if tooLarge { fail(.tooLarge(limit: maxBytes), dataTask) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, failure) = lock.withLock { () -> (CheckedContinuation<Void, any Error>?, FetchError?) in
            let c = self.continuation
            self.continuation = nil
            try? file?.close()
            file = nil
            return (c, self.failure)
        }
        if let failure {
            continuation?.resume(throwing: failure)
        } else if let error {
            let code = (error as? URLError)?.code
            if code == .cancelled {
                continuation?.resume(throwing: CancellationError())
            } else {
                continuation?.resume(throwing: code == .timedOut ? FetchError.timedOut(seconds: timeout) : FetchError.unreachable)
            }
        } else {
            continuation?.resume()
        }
    }
}
