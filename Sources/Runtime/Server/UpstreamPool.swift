import NIOCore
import NIOHTTP1
import NIOPosix

/// One kept-alive connection to an upstream, on the event loop of the client
/// connections that use it.
final class UpstreamConnection {
    let channel: Channel
    let handler: UpstreamResponseHandler
    let address: UpstreamAddress

    init(channel: Channel, handler: UpstreamResponseHandler, address: UpstreamAddress) {
        self.channel = channel
        self.handler = handler
        self.address = address
    }
}

/// Idle upstream connections of one event loop, by address. Client and upstream
/// connections share the loop, so a request crosses no thread and takes no lock.
final class UpstreamPool {
    let eventLoop: EventLoop
    private var idle: [UpstreamAddress: [UpstreamConnection]] = [:]
    private let maxIdle: Int

    init(eventLoop: EventLoop, maxIdle: Int) {
        self.eventLoop = eventLoop
        self.maxIdle = maxIdle
    }

    /// An idle connection that is still open, or a new one.
    func acquire(_ address: UpstreamAddress, connectTimeout: TimeAmount) -> EventLoopFuture<UpstreamConnection>.Isolated {
        while let connection = idle[address]?.popLast() {
            if connection.channel.isActive { return eventLoop.assumeIsolated().makeSucceededFuture(connection).assumeIsolated() }
        }
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(UpstreamResponseHandler())
                }
            }
            .connect(host: address.host, port: address.port)
            .assumeIsolated()
            .flatMapThrowing { channel in
                UpstreamConnection(channel: channel, handler: try channel.pipeline.syncOperations.handler(type: UpstreamResponseHandler.self),
                                   address: address)
            }
    }

    /// Returns a connection whose exchange ended cleanly; others are closed.
    func release(_ connection: UpstreamConnection, reusable: Bool) {
        connection.handler.exchange = nil
        guard reusable, connection.channel.isActive, idle[connection.address, default: []].count < maxIdle else {
            connection.channel.close(promise: nil)
            return
        }
        idle[connection.address, default: []].append(connection)
    }

    func closeAll() {
        for connections in idle.values { for connection in connections { connection.channel.close(promise: nil) } }
        idle = [:]
    }
}

/// What an upstream connection reports to the exchange using it.
protocol UpstreamExchange: AnyObject {
    func upstreamHead(_ head: HTTPResponseHead)
    func upstreamBody(_ body: ByteBuffer)
    func upstreamEnd()
    func upstreamFailed()
    /// The upstream's read batch ended: time to flush what was relayed.
    func upstreamReadComplete()
}

/// Relays an upstream's reply to the exchange that sent the request.
final class UpstreamResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    weak var exchange: (any UpstreamExchange)?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            // 1xx interim replies are not relayed; the final head follows.
            if head.status.code < 200 { return }
            exchange?.upstreamHead(head)
        case .body(let body): exchange?.upstreamBody(body)
        case .end: exchange?.upstreamEnd()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        exchange?.upstreamReadComplete()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        exchange?.upstreamFailed()
        exchange = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        exchange?.upstreamFailed()
        exchange = nil
        context.close(promise: nil)
    }
}
