import Hummingbird
import SluiceApplication
import SluiceCore

extension Router {
    /// The data owner's release of a job's results (`ReviewJob`).
    func addReviewRoute(node: SluiceNode) {
        post(RouterPath(Paths.computeReview)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            let status = try await ReviewJob(node: node)(try p.decode(JobReviewRequest.self))
            return JSONResponse.text(JobStatusView.array([status], baseURL: node.config.baseURL))
        }
    }
}
