import Foundation
import Hummingbird
import NIOCore
import SluiceApplication
import SluiceCore
import SluiceEngine

extension Router {
    /// The compute endpoints of contract section 4: start, status, stop, delete, result. Each
    /// reads the request's parameters and calls one use case.
    func addComputeRoutes(node: SluiceNode) {
        post(RouterPath(Paths.compute)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            let status = try await StartCompute(node: node)(try p.decode(ComputeStartRequest.self))
            return JSONResponse.text(JobStatusView.array([status], baseURL: node.config.baseURL), status: .created)
        }

        get(RouterPath(Paths.compute)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            let jobs = try await QueryJobs(node: node)(try p.decode(JobQuery.self), requireTarget: false)
            return JSONResponse.text(JobStatusView.array(jobs, baseURL: node.config.baseURL))
        }

        put(RouterPath(Paths.compute)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            let answer = try await StopJobs(node: node)(try p.decode(JobQuery.self))
            return JSONResponse.text(JobStatusView.array(answer, baseURL: node.config.baseURL))
        }

        delete(RouterPath(Paths.compute)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            let answer = try await DeleteJobs(node: node)(try p.decode(JobQuery.self))
            return JSONResponse.text(JobStatusView.array(answer, baseURL: node.config.baseURL))
        }

        get(RouterPath(Paths.computeResult)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            return try await ResultDownload(node: node).response(try p.decode(ResultRequest.self), range: request.headers[.range])
        }
    }
}
