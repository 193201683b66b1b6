import Hummingbird
import SluiceApplication
import SluiceCore

extension Router {
    /// `POST /api/services/fileinfo`: see `InspectFiles`.
    func addFileInfoRoute(node: SluiceNode) {
        post(RouterPath(Paths.fileinfo)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            let answer = try await InspectFiles(node: node)(try p.decode(FileInfoRequest.self))
            return try JSONResponse.encode(answer)
        }
    }
}
