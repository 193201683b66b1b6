import Foundation
import Hummingbird
import NIOCore
import SluiceApplication
import SluiceCore
import SluiceEngine

/// `GET /api/services/computeResult`: streams the file `DownloadResult` opened in chunks,
/// never whole, with `Content-Disposition` and single-range `Range` support.
struct ResultDownload {
    let node: SluiceNode
    static let chunkSize = 64 * 1024

    func response(_ request: ResultRequest, range: String?) async throws -> Response {
        let opened = try await DownloadResult(node: node)(request)
        var start: Int64 = 0
        var end = opened.size - 1
        var status = HTTPResponse.Status.ok
        var headers = HTTPFields()
        if let range {
            guard let (first, last) = Self.parseRange(range, size: opened.size) else {
                try? opened.handle.close()
                var h = HTTPFields()
                h[.contentRange] = "bytes */\(opened.size)"
                return Response(status: .rangeNotSatisfiable, headers: h + JSONResponse.contentType,
                                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"error":"the requested range is not within the file","field":"Range"}"#)))
            }
            (start, end) = (first, last)
            status = .partialContent
            headers[.contentRange] = "bytes \(start)-\(end)/\(opened.size)"
        }
        let length = max(0, end - start + 1)
        headers[.contentType] = MediaType.of(fileName: opened.downloadName)
        headers[.contentDisposition] = "attachment; filename=\"\(Self.safeName(opened.downloadName))\""
        headers[.acceptRanges] = "bytes"
        headers[.contentLength] = String(length)
        let handle = opened.handle
        let offset = start
        let body = ResponseBody(contentLength: Int(length)) { writer in
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(offset))
            var remaining = length
            while remaining > 0 {
                let want = Int(min(Int64(Self.chunkSize), remaining))
                guard let data = try handle.read(upToCount: want), !data.isEmpty else { break }
                remaining -= Int64(data.count)
                try await writer.write(ByteBuffer(bytes: data))
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// `bytes=a-b`, `bytes=a-` or `bytes=-n` against `size`; nil when unsatisfiable.
    static func parseRange(_ header: String, size: Int64) -> (Int64, Int64)? {
        guard header.hasPrefix("bytes="), size > 0 else { return nil }
        let spec = header.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let a = spec[..<dash], b = spec[spec.index(after: dash)...]
        if a.isEmpty {
            guard let n = Int64(b), n > 0 else { return nil }
            return (max(0, size - n), size - 1)
        }
        guard let first = Int64(a), first < size else { return nil }
        if b.isEmpty { return (first, size - 1) }
        guard let last = Int64(b), last >= first else { return nil }
        return (first, min(last, size - 1))
    }

    /// A filename safe inside a quoted header value.
    static func safeName(_ name: String) -> String {
        String(name.map { $0 == "\"" || $0 == "\\" || $0.isNewline || !$0.isASCII ? "_" : $0 })
    }
}
