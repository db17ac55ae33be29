import CoreMetrics
import NIOCore
import NIOPosix

/// One kept-alive connection to an upstream, on the event loop of the client
/// connections that use it.
final class UpstreamConnection {
    let channel: Channel
    let handler: UpstreamRelayHandler
    let address: UpstreamAddress
    /// The health gauge of the service last served, kept so a success is recorded
    /// without a lookup.
    var healthGauge: (service: String, gauge: CoreMetrics.Gauge)?
    /// The pool's list for this address, found on the first return and kept, so a
    /// return costs no lookup.
    fileprivate var idleList: UpstreamPool.IdleList?

    init(channel: Channel, handler: UpstreamRelayHandler, address: UpstreamAddress) {
        self.channel = channel
        self.handler = handler
        self.address = address
    }
}

/// Idle upstream connections of one event loop, by address. Client and upstream
/// connections share the loop, so a request crosses no thread and takes no lock.
final class UpstreamPool {
    let eventLoop: EventLoop
    /// Per address, a list object: taken and returned through a plain lookup, where
    /// mutating an array inside the dictionary goes through an accessor that allocated.
    fileprivate final class IdleList {
        var connections: [UpstreamConnection] = []
    }
    private var idle: [UpstreamAddress: IdleList] = [:]
    private let maxIdle: Int
    /// The list last taken from: a loop mostly serves one or a few endpoints, and an
    /// address that matches (its host the same string) costs no hashing.
    private var last: (address: UpstreamAddress, list: IdleList)?

    /// Flushes put off to the end of this loop's batch of events.
    let flushes: FlushBatch
    /// Small write buffers, used again once written.
    let buffers = WriteBufferRing()

    init(eventLoop: EventLoop, maxIdle: Int) {
        self.eventLoop = eventLoop
        self.maxIdle = maxIdle
        self.flushes = FlushBatch(loop: eventLoop)
    }

    /// An idle connection to `address` that is still open: the common case, with no future between.
    func takeIdle(_ address: UpstreamAddress) -> UpstreamConnection? {
        let list: IdleList
        if let last, last.address == address {
            list = last.list
        } else {
            guard let found = idle[address] else { return nil }
            last = (address, found)
            list = found
        }
        while let connection = list.connections.popLast() {
            if connection.channel.isActive { return connection }
        }
        return nil
    }

    /// An idle connection that is still open, or a new one.
    func acquire(_ address: UpstreamAddress, connectTimeout: TimeAmount) -> EventLoopFuture<UpstreamConnection>.Isolated {
        if let connection = takeIdle(address) { return eventLoop.assumeIsolated().makeSucceededFuture(connection).assumeIsolated() }
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UpstreamRelayHandler())
                }
            }
            .connect(host: address.host, port: address.port)
            .assumeIsolated()
            .flatMapThrowing { channel in
                UpstreamConnection(channel: channel, handler: try channel.pipeline.syncOperations.handler(type: UpstreamRelayHandler.self),
                                   address: address)
            }
    }

    /// Returns a connection whose exchange ended cleanly; others are closed.
    func release(_ connection: UpstreamConnection, reusable: Bool) {
        connection.handler.exchange = nil
        connection.handler.resume()
        let list = connection.idleList ?? {
            let list = idle[connection.address] ?? IdleList()
            idle[connection.address] = list
            connection.idleList = list
            return list
        }()
        guard reusable, connection.channel.isActive, list.connections.count < maxIdle else {
            connection.channel.close(promise: nil)
            return
        }
        list.connections.append(connection)
    }

    func closeAll() {
        for list in idle.values {
            for connection in list.connections {
                connection.idleList = nil
                connection.channel.close(promise: nil)
            }
        }
        idle = [:]
        last = nil
    }
}

/// What an upstream connection reports to the exchange using it.
protocol UpstreamExchange: AnyObject {
    /// The reply's head; `headers` points into bytes valid only during the call.
    func upstreamHead(status: Int, headers: ParsedHeaderFields, keepAlive: Bool)
    /// Body data (chunked framing already removed).
    func upstreamBody(_ body: ByteBuffer)
    func upstreamEnd()
    func upstreamFailed()
    /// The upstream's read batch ended: time to flush what was relayed.
    func upstreamReadComplete()
    /// The upstream connection's send buffer crossed a water mark.
    func upstreamWritabilityChanged(writable: Bool)
}

/// Reads an upstream's reply straight from the socket's bytes: the head with
/// `ResponseHeadParser`, then the body by its framing (length, chunked, or until
/// close), handing data to the exchange as it arrives. No typed HTTP pipeline: the
/// request side is written as bytes by the exchange. Inbound only: NIO's outbound
/// operations (writes, flushes, and the read it asks for after every batch) pass
/// this handler by.
final class UpstreamRelayHandler: ChannelInboundHandler, DeferredFlush {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case idle, head, length(Int), chunked(ChunkedBodyScanner), untilClose, done
    }

    /// The client connection this reply goes to. Strong, and set to nil whenever the
    /// connection goes back to the pool, fails or closes: a weak reference would cost
    /// the client handler a side table, and each of its retains the slow path.
    var exchange: (any UpstreamExchange)?
    private var state = State.idle
    private var buffer = ByteBuffer()
    private var headRequest = false
    private let parser = ResponseHeadParser()
    /// The last reply head's fields, kept so their storage is reused.
    private var fields: [ParsedRequestHead.Field] = []
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Writes toward the upstream from this handler's context, whose next outbound
    /// stop is the pipeline's head.
    func send(_ bytes: ByteBuffer) {
        if let head = staged {
            staged = nil
            context?.write(wrapOutboundOut(head), promise: nil)
        }
        context?.write(wrapOutboundOut(bytes), promise: nil)
    }

    func flush() { context?.flush() }

    /// Both in one trip through the pipeline (a request without a body).
    func sendAndFlush(_ bytes: ByteBuffer) { context?.writeAndFlush(wrapOutboundOut(bytes), promise: nil) }

    /// A request without a body, written and flushed at the end of the loop's batch
    /// (in one trip through the pipeline then).
    private var staged: ByteBuffer?

    func sendAtBatchEnd(_ bytes: ByteBuffer, batch: FlushBatch) {
        staged = bytes
        batch.add(self)
    }

    func flushDeferred() {
        guard let bytes = staged else { return }
        staged = nil
        sendAndFlush(bytes)
    }

    /// A request is about to be written; its reply is expected next.
    func begin(headRequest: Bool) {
        self.headRequest = headRequest
        state = .head
        buffer.clear()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        process()
    }

    private func process() {
        while buffer.readableBytes > 0 {
            switch state {
            case .head:
                let headRequest = headRequest
                // A copy of the buffer (no bytes copied) lends the head to the exchange
                // while this handler's own buffer stays free to change.
                let view = buffer
                let result = view.withUnsafeReadableBytes { bytes -> ResponseHeadParser.Result in
                    let result = parser.parse(bytes, headRequest: headRequest, fields: &fields)
                    // 1xx interim replies are not relayed; the final head follows.
                    if case .complete(let head) = result, head.status >= 200 {
                        exchange?.upstreamHead(status: head.status, headers: ParsedHeaderFields(bytes: bytes, fields: fields), keepAlive: head.keepAlive)
                    }
                    return result
                }
                guard case .complete(let head) = result else {
                    if result == .invalid { failed() }
                    return
                }
                buffer.moveReaderIndex(forwardBy: head.length)
                if head.status < 200 { continue }
                switch head.framing {
                case .none, .length(0): ended()
                case .length(let count): state = .length(count)
                case .chunked: state = .chunked(ChunkedBodyScanner(maxBodyBytes: .max))
                case .untilClose: state = .untilClose
                }
            case .length(let remaining):
                let take = min(remaining, buffer.readableBytes)
                if let slice = buffer.readSlice(length: take) { exchange?.upstreamBody(slice) }
                if remaining == take { ended() } else { state = .length(remaining - take) }
            case .chunked(var scanner):
                var ranges: [Range<Int>] = []
                let step = buffer.withUnsafeReadableBytes { scanner.scan($0) { ranges.append($0) } }
                for range in ranges {
                    if let slice = buffer.getSlice(at: buffer.readerIndex + range.lowerBound, length: range.count) { exchange?.upstreamBody(slice) }
                }
                switch step {
                case .needMore:
                    buffer.moveReaderIndex(to: buffer.writerIndex)
                    state = .chunked(scanner)
                case .complete(let consumed):
                    buffer.moveReaderIndex(forwardBy: consumed)
                    ended()
                case .invalid:
                    return failed()
                }
            case .untilClose:
                if let slice = buffer.readSlice(length: buffer.readableBytes) { exchange?.upstreamBody(slice) }
            case .idle, .done:
                // Bytes nobody asked for: the connection cannot be trusted for another request.
                buffer.clear()
                return failed()
            }
        }
        buffer.discardReadBytes()
    }

    private func ended() {
        state = .done
        exchange?.upstreamEnd()
    }

    /// The reply is unusable (malformed, or bytes nobody asked for): the exchange
    /// hears of it and the connection is closed, never reused.
    private func failed() {
        state = .done
        let exchange = exchange
        self.exchange = nil
        context?.close(promise: nil)
        exchange?.upstreamFailed()
    }

    /// Not passed on: this is the last handler, and the pipeline's tail does nothing with it.
    func channelReadComplete(context: ChannelHandlerContext) {
        exchange?.upstreamReadComplete()
    }

    /// Backpressure: while the client is not taking the reply, the upstream is not
    /// read (automatic reading off, so its socket fills and it waits) until `resume()`.
    private var paused = false

    func pause() {
        guard !paused, let context else { return }
        paused = true
        try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: false)
    }

    func resume() {
        guard paused, let context else { return }
        paused = false
        try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        exchange?.upstreamWritabilityChanged(writable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .untilClose = state {
            ended()
        } else if case .done = state {
        } else if case .idle = state {
        } else {
            failed()
        }
        exchange = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failed()
        context.close(promise: nil)
    }
}
