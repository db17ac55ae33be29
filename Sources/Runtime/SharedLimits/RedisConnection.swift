import NIOCore
import NIOPosix

/// One connection to Redis on one event loop: commands are pipelined, replies
/// complete their promises in order. A reply that cannot be parsed, a timeout or the
/// connection closing fails every pending command and closes the channel, so a late
/// reply can never be taken for the next command's.
final class RedisConnection {
    let channel: Channel
    private let handler: RESPReplyHandler

    private init(channel: Channel, handler: RESPReplyHandler) {
        self.channel = channel
        self.handler = handler
    }

    static func connect(host: String, port: Int, on loop: EventLoop, timeout: TimeAmount) -> EventLoopFuture<RedisConnection>.Isolated {
        ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(RESPReplyHandler()) }
            }
            .connect(host: host, port: port)
            .assumeIsolated()
            .flatMapThrowing { channel in
                RedisConnection(channel: channel, handler: try channel.pipeline.syncOperations.handler(type: RESPReplyHandler.self))
            }
    }

    var isActive: Bool { channel.isActive }

    /// Sends `command`; its reply, or a failure after `timeout`.
    func send(_ command: [String], timeout: TimeAmount) -> EventLoopFuture<RESPValue>.Isolated {
        let loop = channel.eventLoop.assumeIsolated()
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        handler.pending.append(promise)
        var buffer = channel.allocator.buffer(capacity: 256)
        buffer.writeBytes(RESPValue.command(command))
        channel.writeAndFlush(buffer, promise: nil)
        let channel = channel
        let deadline = loop.scheduleTask(in: timeout) {
            promise.fail(RedisError.timeout)
            channel.close(promise: nil)
        }
        let future = promise.futureResult.assumeIsolated()
        future.whenComplete { _ in deadline.cancel() }
        return future
    }

    func close() { channel.close(promise: nil) }
}

enum RedisError: Error, Equatable {
    case timeout
    case closed
    case malformed(String)
    case server(String)
    case unexpectedReply
}

/// Reads replies and hands them to the oldest waiting command.
final class RESPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    var pending: [EventLoopPromise<RESPValue>] = []
    private var buffer = ByteBuffer()
    private let parser = RESPParser()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        while buffer.readableBytes > 0 {
            switch buffer.withUnsafeReadableBytes({ parser.parse($0) }) {
            case .incomplete:
                buffer.discardReadBytes()
                return
            case .invalid(let reason):
                failAll(.malformed(reason))
                context.close(promise: nil)
                return
            case .value(let value, let consumed):
                buffer.moveReaderIndex(forwardBy: consumed)
                guard !pending.isEmpty else {
                    // A reply nobody asked for: the stream is out of step.
                    context.close(promise: nil)
                    return
                }
                pending.removeFirst().succeed(value)
            }
        }
        buffer.discardReadBytes()
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll(.closed)
        context.close(promise: nil)
    }

    private func failAll(_ error: RedisError) {
        let waiting = pending
        pending = []
        for promise in waiting { promise.fail(error) }
    }
}
