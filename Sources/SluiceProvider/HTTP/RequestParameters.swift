import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat
import SluiceApplication
import SluiceCore

extension RequestParameters {
    /// Reads the query and, when present, a JSON object body of at most `maxBodyBytes`.
    static func read(_ request: inout Request, maxBodyBytes: Int) async throws -> RequestParameters {
        var values: [String: JSONValue] = [:]
        for (key, value) in request.uri.queryParameters {
            values[String(key)] = .string(String(value))
        }
        let body = try await request.collectBody(upTo: maxBodyBytes)
        if body.readableBytes > 0 {
            let decoded: JSONValue
            do {
                decoded = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))
            } catch {
                throw RequestError.badRequest("request body is not valid JSON")
            }
            guard case .object(let members) = decoded else {
                throw RequestError.badRequest("request body must be a JSON object")
            }
            values.merge(members) { _, body in body }
        }
        return RequestParameters(values: values)
    }
}
