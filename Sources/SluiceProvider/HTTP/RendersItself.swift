import Hummingbird
import SluiceCore

/// An error that knows its own status and JSON body, for answers richer than
/// `RequestError`'s sentence and field (ErrorMiddleware renders it as it says).
protocol RendersItself: Error {
    var status: HTTPResponse.Status { get }
    var body: JSONValue { get }
}

extension RendersItself {
    var response: Response { JSONResponse.text(body.compactJSON(), status: status) }
}
