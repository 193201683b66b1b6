import Foundation
import Hummingbird
import NIOCore

/// JSON responses. Every answer of the node, errors included, is JSON.
enum JSONResponse {
    static let contentType: HTTPFields = [.contentType: "application/json"]

    static func bytes(_ buffer: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        var headers = contentType
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }

    static func encode(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return bytes(ByteBuffer(bytes: data), status: status)
    }

    static func text(_ json: String, status: HTTPResponse.Status = .ok) -> Response {
        bytes(ByteBuffer(string: json), status: status)
    }

    /// `{"error": "...", "field": "..."}`, the shape of every refusal.
    static func errorJSON(message: String, field: String?) -> String {
        var object = ["error": message]
        if let field { object["field"] = field }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
