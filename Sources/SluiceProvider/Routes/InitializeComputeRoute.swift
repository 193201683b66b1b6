import Hummingbird
import SluiceApplication
import SluiceCore

extension Router {
    /// `POST /api/services/initializeCompute` (contract section 4): for each input, either
    /// the order that still pays (`validOrder`), or the datatoken and a signed provider
    /// fee to order with, or both when the order is good but its fee must be renewed.
    func addInitializeComputeRoute(node: SluiceNode) {
        post(RouterPath(Paths.initializeCompute)) { request, _ in
            var request = request
            let parameters = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            let answer = try await InitializeCompute(node: node)(try parameters.decode(InitializeComputeRequest.self))
            return try JSONResponse.encode(answer)
        }
    }
}
