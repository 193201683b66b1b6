import Hummingbird
import NIOCore
import SluiceApplication
import SluiceCore
import SluiceEngine

extension Router {
    /// Live logs (`FollowJobLog`): `algorithm.log` streamed chunk by chunk while the job
    /// runs; the body ends when the job's algorithm does.
    func addLiveLogRoute(node: SluiceNode) {
        get(RouterPath(Paths.computeStreamableLogs)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            let log = try await FollowJobLog(node: node)(try p.decode(LiveLogRequest.self))
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            headers[.cacheControl] = "no-store"
            let body = ResponseBody { writer in
                while let chunk = await log.next() {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }
    }
}
