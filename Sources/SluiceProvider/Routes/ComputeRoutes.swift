import Foundation
import Hummingbird
import NIOCore
import SluiceCore
import SluiceEngine

extension Router {
    /// The compute endpoints of contract section 4: start, status, stop, delete, result.
    func addComputeRoutes(node: SluiceNode) {
        post(RouterPath(Paths.compute)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            let status = try await ComputeStarter(node: node).start(p)
            return JSONResponse.text(JobStatusView.array([status], baseURL: node.config.baseURL), status: .created)
        }

        get(RouterPath(Paths.compute)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            let jobs = try await JobQuery(node: node).jobs(p, requireTarget: false)
            return JSONResponse.text(JobStatusView.array(jobs, baseURL: node.config.baseURL))
        }

        put(RouterPath(Paths.compute)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            var answer: [JobStatus] = []
            for job in try await JobQuery(node: node).jobs(p, requireTarget: true) {
                if let stopped = try await node.engine.stop(id: job.jobId) { answer.append(stopped) }
            }
            return JSONResponse.text(JobStatusView.array(answer, baseURL: node.config.baseURL))
        }

        delete(RouterPath(Paths.compute)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            var answer: [JobStatus] = []
            for job in try await JobQuery(node: node).jobs(p, requireTarget: true) {
                if let deleted = try await node.engine.delete(id: job.jobId) { answer.append(deleted) }
            }
            return JSONResponse.text(JobStatusView.array(answer, baseURL: node.config.baseURL))
        }

        get(RouterPath(Paths.computeResult)) { request, _ in
            var request = request
            let p = try await RequestParameters.read(&request, maxBodyBytes: node.config.maxRequestBodyBytes)
            return try await ResultDownload(node: node).response(p, range: request.headers[.range])
        }
    }
}
