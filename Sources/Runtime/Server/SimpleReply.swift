import NIOCore
import NIOHTTP1

/// A whole small reply on a NIOHTTP1 server pipeline (the admin listener, the demo's
/// mock backends): head with its length, body, end, and a close when the request
/// asked for one.
public enum SimpleReply {
    public static func write(_ status: HTTPResponseStatus, contentType: String, body: [UInt8], extraHeaders: [(String, String)] = [],
                             to request: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders([("content-type", contentType), ("content-length", "\(body.count)")] + extraHeaders)
        if !request.isKeepAlive { headers.add(name: "connection", value: "close") }
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let keepAlive = request.isKeepAlive
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }
}
