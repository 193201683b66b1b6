import Hummingbird
import SluiceApplication
import SluiceCore

extension Router {
    /// `GET /api/services/computeEnvironments`: see `ListEnvironments`.
    func addEnvironmentsRoute(node: SluiceNode) {
        get(RouterPath(Paths.computeEnvironments)) { request, _ in
            try JSONResponse.encode(await ListEnvironments(node: node)(chainId: try ChainIdParameter.read(request)))
        }
    }
}
