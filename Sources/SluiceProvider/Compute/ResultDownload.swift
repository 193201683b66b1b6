import Foundation
import Hummingbird
import NIOCore
import SluiceApplication
import SluiceCore
import SluiceEngine

/// `GET /api/services/computeResult`: streams one result file in chunks, never whole,
/// with `Content-Disposition` and single-range `Range` support.
struct ResultDownload {
    let node: SluiceNode
    static let chunkSize = 64 * 1024

    func response(_ request: ResultRequest, range: String?) async throws -> Response {
        guard let jobId = request.jobId else { throw RequestError.badRequest("jobId is required", field: "jobId") }
        guard let indexText = request.index, !indexText.isEmpty, indexText.allSatisfy(\.isNumber), let index = Int(indexText) else {
            throw RequestError.badRequest("index must be a whole number", field: "index")
        }
        let signed = try SignedRequest.verify(request.signed) { $0 + jobId + indexText }
        try await node.consumeNonce(of: signed)
        guard let job = try await node.engine.job(id: jobId) else {
            throw RequestError.notFound("no job \(jobId)", field: "jobId")
        }
        guard EthereumAddress(job.owner) == signed.signer else {
            throw RequestError.forbidden("job \(jobId) belongs to another consumer", field: "jobId")
        }
        guard let opened = try await node.engine.openResult(jobId: jobId, index: index) else {
            if JobStatusCode(rawValue: job.status)?.isTerminal != true {
                throw RequestError.notFound("job \(jobId) has no results yet: it is \(job.statusText.lowercased())", field: "index")
            }
            throw RequestError.notFound("job \(jobId) has no result \(index); it has \(job.results.count)", field: "index")
        }
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
        headers[.contentType] = Self.contentType(of: opened.downloadName)
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

    static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "json": return "application/json"
        case "csv": return "text/csv"
        case "txt", "log": return "text/plain"
        case "png": return "image/png"
        case "html": return "text/html"
        default: return "application/octet-stream"
        }
    }

    /// A filename safe inside a quoted header value.
    static func safeName(_ name: String) -> String {
        String(name.map { $0 == "\"" || $0 == "\\" || $0.isNewline || !$0.isASCII ? "_" : $0 })
    }
}
