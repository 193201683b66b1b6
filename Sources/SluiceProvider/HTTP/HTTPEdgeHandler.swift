import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import SluiceCore

/// The node's end of one connection, between NIO's HTTP codec and Hummingbird.
///
/// A request the decoder cannot read (a bad chunk size, a request line or headers over
/// `HTTPEdgeLimits`, a broken header) never reaches the router, and Hummingbird would
/// answer it with an empty 400. This handler answers first, with the node's JSON 400 and
/// `Connection: close`, and drops Hummingbird's answer that follows.
///
/// After any response saying `Connection: close` (those, and every 413), it closes the
/// node's side, so a client still sending a body hears the answer at once. Only the output
/// is closed: bytes still in flight are read and dropped rather than answered by a reset,
/// which could destroy the response before the client reads it.
final class HTTPEdgeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var responseOpen = false
    private var closeAfterResponse = false
    private var outputClosed = false
    /// Set once a request arrives after the node closed its side: nothing more is run.
    private var discardingInput = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !discardingInput else { return }
        guard case .head(let head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        if outputClosed {
            discardingInput = true
        } else if head.method == .connect {
            // CONNECT would make the connection a tunnel, which this node never serves, and
            // NIO's decoder reads nothing after it. (NIO sends the answer without its body:
            // answers to CONNECT have none.)
            discardingInput = true
            if responseOpen {
                closeAfterResponse = true
            } else {
                answer(RequestError(.methodNotAllowed, "CONNECT is not served: this node is no proxy"), context)
            }
        } else {
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !outputClosed else {
            // Hummingbird's own answer to a request this handler has answered already.
            promise?.succeed(())
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(let head):
            responseOpen = true
            if head.headerFields[.connection]?.lowercased() == "close" { closeAfterResponse = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            responseOpen = false
            context.write(data, promise: promise)
            if closeAfterResponse { closeOutput(context) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let refusal = Self.refusal(for: error) else {
            context.fireErrorCaught(error)
            return
        }
        if responseOpen {
            // A response is half written: it cannot be replaced, only ended.
            closeAfterResponse = true
        } else if !outputClosed {
            answer(refusal, context)
        }
        // Hummingbird ends the connection in order only on a parser error.
        context.fireErrorCaught(error as? HTTPParserError ?? HTTPParserError.invalidURL)
    }

    private func answer(_ refusal: RequestError, _ context: ChannelHandlerContext) {
        let body = ByteBuffer(string: JSONResponse.errorJSON(message: refusal.message, field: refusal.field))
        let headers: HTTPFields = [.contentType: "application/json", .contentLength: String(body.readableBytes), .connection: "close"]
        context.write(wrapOutboundOut(.head(HTTPResponse(status: refusal.status, headerFields: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        closeOutput(context)
    }

    private func closeOutput(_ context: ChannelHandlerContext) {
        outputClosed = true
        context.flush()
        context.close(mode: .output, promise: nil)
    }

    /// How the node explains a request its decoder could not read; nil for errors that
    /// are not about the request (a connection reset, say).
    static func refusal(for error: any Error) -> RequestError? {
        switch error {
        case HTTPParserError.headerOverflow:
            return .badRequest("the request line or headers are over this node's limits: \(HTTPEdgeLimits.description)")
        case HTTPParserError.invalidChunkSize:
            return .badRequest("the body's chunked framing is broken: a chunk size is not a hexadecimal number")
        case HTTPParserError.invalidContentLength, HTTPParserError.unexpectedContentLength:
            return .badRequest("Content-Length is not valid for this request", field: "Content-Length")
        case let parserError as HTTPParserError:
            return .badRequest("the request is not valid HTTP/1.1: \(parserError.debugDescription)")
        case is HTTP1TypeConversionError:
            return .badRequest("the request's method or target is not one this node can read")
        default:
            return nil
        }
    }
}
