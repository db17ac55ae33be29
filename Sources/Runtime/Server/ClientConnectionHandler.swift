import NIOCore

/// One client connection: reads request heads in place, asks the engine, forwards
/// to an upstream on the same event loop, and relays the reply with the route's
/// transforms. One request at a time; pipelined bytes wait in the buffer.
final class ClientConnectionHandler: ChannelInboundHandler, UpstreamExchange, DeferredFlush {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let state: ServerState
    private var context: ChannelHandlerContext?
    private var buffer = ByteBuffer()
    /// The head being read, kept from request to request (its field list's storage with it).
    private var parsed = ParsedRequestHead()
    private var exchange: Exchange?
    /// What the connection's one deadline is for.
    enum Deadline {
        /// Waiting for a request head: `partial` (some bytes came) gets the header timeout and 408.
        case head(partial: Bool)
        case exchange(Exchange)
    }

    private var deadline: ConnectionDeadline<Deadline>?
    /// Reading from the client was paused for an upstream that takes the body slowly.
    private var clientReadPaused = false
    private var waitingForHead = false
    /// A request waits for the shared rate-limit store; later bytes wait in the buffer.
    private var deciding = false
    private var closing = false
    private var clientAddress = "0.0.0.0"
    /// A relayed reply's head, and as much of its body as fits beside it, held until
    /// the reply ends or the read batch does, so that a small reply reaches NIO as one
    /// buffer in one trip through the pipeline (write and flush) and one write(2).
    private var stagedHead: ByteBuffer?
    /// Bytes were written to the client since the last flush.
    private var unflushed = false
    /// The metric handles of this connection's last request.
    private var lastMetrics = GatewayMetrics.LastRequest()
    /// This loop's upstream pool, found once (the connection never changes loops).
    private var pool: UpstreamPool?
    /// The channel's allocator, found once: through the channel it is two protocol
    /// calls, a retain and an event-loop check for every buffer. Upstream heads use it too
    /// (every channel here has NIO's default allocator).
    private var allocator = ByteBufferAllocator()

    init(state: ServerState) {
        self.state = state
    }

    // MARK: Connection events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        pool = state.pool(for: context.eventLoop)
        allocator = context.channel.allocator
        // Strong, not weak: a weak reference gives the handler a side table, and then
        // every retain and release of it (dozens per request) takes the slow path. The
        // cycle (handler, deadline, closure) is broken when the handler is removed.
        deadline = ConnectionDeadline(loop: context.eventLoop) { reason in self.deadlinePassed(reason) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        deadline?.stop()
        deadline = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        clientAddress = context.remoteAddress?.ipAddress ?? "0.0.0.0"
        let open = state.connections.add(1, ordering: .relaxed).newValue
        if open > state.configuration.maxConnections {
            reject(status: 503, detail: "the gateway has too many open connections")
        } else {
            armTimer(partial: false)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.connections.subtract(1, ordering: .relaxed)
        deadline?.stop()
        if let exchange { finish(exchange, reusable: false, closeClient: false) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        process()
        // A head begun but not complete gets the header timeout, from its first bytes on
        // (armed only now: the usual head arrives whole and is cleared at once).
        if exchange == nil && !waitingForHead && !deciding && !closing && buffer.readableBytes > 0 { armTimer(partial: true) }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    /// Not passed on: this is the last handler, and the pipeline's tail does nothing
    /// with it (flushes happen where the bytes are written).
    func channelReadComplete(context: ChannelHandlerContext) {}

    /// Backpressure, client side: a client that reads slowly pauses the upstream, so a
    /// large reply waits in the upstream's socket rather than in gatewayd's memory.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let exchange, let connection = exchange.connection, exchange.readPaused {
            exchange.readPaused = false
            connection.handler.resume()
            armTimer(exchange, .milliseconds(Int64(exchange.upstream.timeoutMilliseconds)))
        }
        context.fireChannelWritabilityChanged()
    }

    /// Backpressure, upstream side: an upstream that takes a request body slowly pauses
    /// reading from the client.
    func upstreamWritabilityChanged(writable: Bool) {
        guard clientReadPaused == writable else { return }
        clientReadPaused = !writable
        context?.channel.setOption(ChannelOptions.autoRead, value: writable).whenComplete { _ in }
    }

    // MARK: Requests

    private func process() {
        while !closing && !deciding {
            if let exchange {
                forwardBody(exchange)
                return
            }
            guard buffer.readableBytes > 0 else { return }
            let status = buffer.withUnsafeReadableBytes { state.parser.parse($0, into: &parsed) }
            switch status {
            case .incomplete:
                return
            case .invalid(let error):
                reject(status: error.status, detail: error.detail)
                return
            case .complete:
                let clientAddress = clientAddress
                var request = buffer.withUnsafeReadableBytes { parsed.requestHead($0, clientAddress: clientAddress) }
                let trusted = state.configuration.trustedProxies
                if !trusted.isEmpty, trusted.contains(clientAddress) {
                    request.clientAddress = trusted.client(peer: clientAddress, forwardedFor: request.header("x-forwarded-for")) ?? clientAddress
                    if let proto = request.header("x-forwarded-proto")?.lowercased(), proto == "https" || proto == "http" { request.forwardedProto = proto }
                    request.forwardedHost = request.header("x-forwarded-host")
                }
                buffer.moveReaderIndex(forwardBy: parsed.length)
                deadline?.clear()
                waitingForHead = false
                start(request, HeadFraming(parsed))
            }
        }
    }

    /// Decides, then answers or forwards. With a shared rate-limit store the decision
    /// takes two passes around one round trip to it (`LimitProbe`, `LimitAnswers`);
    /// a route without limits, or a request refused before its limits, takes one.
    private func start(_ request: RequestHead, _ head: HeadFraming) {
        let engine = state.currentEngine
        let started = NIODeadline.now()
        guard let shared = state.sharedLimits, let loop = context?.eventLoop else {
            return proceed(request, head, engine.decide(request), engine: engine, started: started)
        }
        let probe = LimitProbe()
        let first = engine.decide(request, limiter: probe)
        guard !probe.takes.isEmpty else { return proceed(request, head, first, engine: engine, started: started) }
        deciding = true
        // The store answers or times out within its timeout, so holding the handler until then is bounded.
        shared.take(probe.takes, now: SystemClock().nowMilliseconds(), on: loop).whenSuccess { answers in
            guard self.context != nil, !self.closing else { return }
            self.deciding = false
            let answered = LimitAnswers(answers) { take, now in shared.fallbackDecision(take, now: now) }
            self.proceed(request, head, engine.decide(request, limiter: answered), engine: engine, started: started)
            self.process()
        }
    }

    private func proceed(_ request: RequestHead, _ head: HeadFraming, _ decision: Decision, engine: Engine, started: NIODeadline) {
        let keepAlive = head.keepAlive
        let hasBody = head.chunked || (head.contentLength ?? 0) > 0
        switch decision {
        case .respond(let response, let route):
            // A refused request's body is not read: close rather than guess where the next request starts.
            let written = send(response, keepAlive: keepAlive && !hasBody, head: request.method == "HEAD")
            if state.recording, let recorder = state.configuration.recorder {
                recorder.record(RecordedExchange(time: SystemClock().nowMilliseconds(), principal: nil, request: request, upstream: nil,
                                                 upstreamReply: nil, upstreamFailure: nil, response: response))
            }
            let routeKey = route.map { engine.artifact.routes[$0].key }
            state.record(route: routeKey, status: response.status, started: started, last: &lastMetrics,
                         AccessLog.Entry(time: SystemClock().nowMilliseconds(), requestID: response.header("x-request-id") ?? "-",
                                         method: request.method, path: request.target, route: routeKey, principal: nil, status: response.status,
                                         latencyMicroseconds: 0, upstream: nil, bytesIn: 0, bytesOut: written))
            if !(keepAlive && !hasBody) { close() } else { armTimer(partial: buffer.readableBytes > 0) }
        case .forward(let upstream, let plan):
            let framing: Exchange.Framing = head.chunked
                ? .chunked(ChunkedBodyScanner(maxBodyBytes: Int(engine.artifact.routes[plan.route].bodyLimit)))
                : .length(head.contentLength ?? 0)
            let exchange = Exchange(engine: engine, request: request, upstream: upstream, plan: plan, keepAlive: keepAlive, framing: framing,
                                    started: started)
            // The client waits for leave to send its body: the decision is made, so give it.
            if hasBody, buffer.readableBytes == 0, request.header(.expect)?.lowercased() == "100-continue" {
                var interim = allocator.buffer(capacity: 32)
                interim.writeStaticString("HTTP/1.1 100 Continue\r\n\r\n")
                write(interim)
            }
            self.exchange = exchange
            state.inFlight.add(1, ordering: .relaxed)
            connect(exchange)
            forwardBody(exchange)
        }
    }

    /// Picks an endpoint (balancing, skipping ejected and unhealthy ones, honouring
    /// the breaker) and connects; the route's timeout covers every attempt.
    private func connect(_ exchange: Exchange) {
        guard context != nil, let pool else { return fail(exchange, .unavailable) }
        let engine = exchange.engine
        let index = exchange.upstream.service
        // The first attempt happens at the decision's moment; a retry reads the clock.
        let now = exchange.attempts == 0 ? exchange.plan.timestampMilliseconds : SystemClock().nowMilliseconds()
        let pick = state.withHealth(service: index, engine: engine) { health -> ServiceHealth.Pick in
            if exchange.attempts == 0 { _ = health.admit(retry: false, now: now) }
            return health.pick(now: now, excluding: exchange.tried)
        }
        guard case .endpoint(let address) = pick else { return fail(exchange, .unavailable) }
        // Only a retry looks at the endpoints tried; without a retry policy there is none.
        if engine.artifact.services[index].retry != nil { exchange.tried.append(address) }
        exchange.attempts += 1
        exchange.address = address
        if !exchange.timed {
            exchange.timed = true
            let timeout = TimeAmount.milliseconds(Int64(exchange.upstream.timeoutMilliseconds))
            // The first attempt starts at the decision, whose clock reading is at hand.
            if exchange.attempts == 1 { deadline?.set(at: exchange.started + timeout, .exchange(exchange)) } else { armTimer(exchange, timeout) }
        }
        if let connection = pool.takeIdle(address) { return connected(exchange, connection, address: address) }
        let service = engine.artifact.services[index]
        let attempt = exchange.attempts
        pool.acquire(address, connectTimeout: .milliseconds(Int64(max(1, service.connectTimeoutMilliseconds)))).whenComplete { result in
            // Held until the connect succeeds, fails or times out: bounded, and no side table (see handlerAdded).
            guard self.exchange === exchange, exchange.attempts == attempt else {
                if case .success(let connection) = result { pool.release(connection, reusable: true) }
                return
            }
            switch result {
            case .success(let connection): self.connected(exchange, connection, address: address)
            case .failure: self.attemptFailed(exchange, .connectError)
            }
        }
    }

    private func connected(_ exchange: Exchange, _ connection: UpstreamConnection, address: UpstreamAddress) {
        exchange.connection = connection
        connection.handler.exchange = self
        let service = exchange.upstream.serviceName
        if connection.healthGauge?.service != service {
            connection.healthGauge = (service, state.metrics.upstreamGauge(service: service, endpoint: address.description))
        }
        connection.healthGauge?.gauge.record(1)
        sendRequestHead(exchange, address: address)
        forwardBody(exchange)
    }

    /// The exchange's deadline: the route's `timeout` until the reply's head, then
    /// between the reply's reads; while a slow client holds the upstream paused, the
    /// idle timeout instead.
    private func armTimer(_ exchange: Exchange, _ delay: TimeAmount) {
        deadline?.set(in: delay, .exchange(exchange))
    }

    private func deadlinePassed(_ reason: Deadline) {
        switch reason {
        case .exchange(let exchange):
            timedOut(exchange)
        case .head(let partial):
            guard exchange == nil, !deciding else { return }
            if partial { reject(status: 408, detail: "the request head did not arrive in time") } else { close() }
        }
    }

    enum AttemptFailure { case connectError, closed, timeout, status(Int) }

    /// An attempt failed before its reply reached the client: retry on another
    /// endpoint if the service's retry policy, the request and the budget allow it,
    /// else answer 502.
    private func attemptFailed(_ exchange: Exchange, _ failure: AttemptFailure) {
        guard self.exchange === exchange, !exchange.responseStarted else { return }
        dropAttempt(exchange)
        if mayRetry(exchange, failure) {
            connect(exchange)
        } else {
            fail(exchange, .badGateway)
        }
    }

    /// The endpoint failed: the balancer learns it, and its connection is closed.
    private func dropAttempt(_ exchange: Exchange) {
        if let address = exchange.address {
            let now = SystemClock().nowMilliseconds()
            state.withHealth(service: exchange.upstream.service, engine: exchange.engine) { $0.finished(address, .failure, now: now) }
            state.metrics.upstream(service: exchange.upstream.serviceName, endpoint: address.description, healthy: false)
        }
        if let connection = exchange.connection {
            connection.handler.exchange = nil
            connection.channel.close(promise: nil)
            exchange.connection = nil
        }
    }

    /// Whether one more attempt is allowed; takes a token from the retry budget if so.
    private func mayRetry(_ exchange: Exchange, _ failure: AttemptFailure) -> Bool {
        guard let retry = exchange.engine.artifact.services[exchange.upstream.service].retry else { return false }
        let allowedKind = switch failure {
        case .connectError, .closed: retry.onConnectError
        case .timeout: retry.onTimeout
        case .status(let status): retry.onStatuses.contains(UInt16(clamping: status))
        }
        // A body already sent cannot be sent again; idempotence as the policy says.
        let replayable = exchange.bytesIn == 0 && exchange.requestEnded
        let idempotent = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"].contains(exchange.request.method)
        guard allowedKind, replayable, exchange.attempts < Int(retry.attempts), !retry.idempotentOnly || idempotent else { return false }
        let now = SystemClock().nowMilliseconds()
        guard state.withHealth(service: exchange.upstream.service, engine: exchange.engine, { $0.admit(retry: true, now: now) }) else { return false }
        return true
    }

    /// The request head as bytes: the engine's method, target and headers, the
    /// upstream's Host, and the framing of the body that follows (a Content-Length from
    /// the client is among the engine's headers; a chunked body is relayed as it came).
    private func sendRequestHead(_ exchange: Exchange, address: UpstreamAddress) {
        guard let connection = exchange.connection else { return }
        let host = address.description
        var chunked = false
        if case .chunked = exchange.framing { chunked = true }
        let capacity = HTTPWire.requestHeadCapacity(exchange.upstream, host: host)
        var head = writeBuffer(capacity: capacity)
        head.writeWithByteWriter(capacity: capacity) { HTTPWire.writeRequestHead(exchange.upstream, host: host, chunked: chunked, to: &$0) }
        pool?.buffers.keep(head)
        connection.handler.begin(headRequest: exchange.request.method == "HEAD")
        guard !exchange.pending.isEmpty else {
            guard let pool else { return connection.handler.sendAndFlush(head) }
            return connection.handler.sendAtBatchEnd(head, batch: pool.flushes)
        }
        connection.handler.send(head)
        for part in exchange.pending { connection.handler.send(part) }
        exchange.pending = []
        connection.handler.flush()
    }

    /// Moves the request body from the client buffer to the upstream (or holds it
    /// until the upstream is connected), as far as the framing says it goes.
    private func forwardBody(_ exchange: Exchange) {
        guard !exchange.requestEnded else { return }
        var parts: [ByteBuffer] = []
        switch exchange.framing {
        case .length(let remaining):
            let take = min(remaining, buffer.readableBytes)
            if take > 0, let slice = buffer.readSlice(length: take) { parts.append(slice) }
            exchange.framing = .length(remaining - take)
            if remaining - take == 0 { exchange.requestEnded = true }
        case .chunked(var scanner):
            // The framing was checked by the scanner; the bytes go upstream as they came.
            let step = buffer.withUnsafeReadableBytes { bytes in scanner.scan(bytes) }
            exchange.framing = .chunked(scanner)
            switch step {
            case .needMore:
                if let slice = buffer.readSlice(length: buffer.readableBytes) { parts.append(slice) }
            case .complete(let consumed):
                if let slice = buffer.readSlice(length: consumed) { parts.append(slice) }
                exchange.requestEnded = true
            case .invalid(let error):
                buffer.clear()
                failBody(exchange, status: error.status, detail: "the chunked request body is malformed or too large")
                return
            }
        }
        exchange.bytesIn += parts.reduce(0) { $0 + $1.readableBytes }
        if let connection = exchange.connection {
            for part in parts { connection.handler.send(part) }
            if !parts.isEmpty { connection.handler.flush() }
        } else {
            exchange.pending += parts
        }
        buffer.discardReadBytes()
    }

    // MARK: Upstream replies (UpstreamExchange)

    func upstreamHead(status: Int, headers: ParsedHeaderFields, keepAlive: Bool) {
        guard let exchange, !exchange.responseStarted else { return }
        // A retryable status goes to another endpoint when the policy and budget allow;
        // otherwise the client gets the upstream's own reply.
        if mayRetry(exchange, .status(status)) {
            dropAttempt(exchange)
            connect(exchange)
            return
        }
        exchange.upstreamKeepAlive = keepAlive
        let recording = state.recording
        if recording { exchange.recordedReply = GatewayResponse(status: status, headers: headers.headers) }
        let bodiless = exchange.request.method == "HEAD" || status == 204 || status == 304
        // The plan is read in place from the exchange (a local copy retains its dozen references).
        let edits = exchange.engine.responseHead(exchange.plan, status: status, fields: headers)
        // The head waits for an enveloped body: its length is known once the body is wrapped.
        let enveloped = edits.envelope && !bodiless
        let chunked = !enveloped && !bodiless && !edits.lengthKept, keepAlive = exchange.keepAlive
        // Room for all of it at once (growing the buffer midway would copy the head),
        // and for a small body to join it (`upstreamBody`).
        let capacity = HTTPWire.replyHeadCapacity(headers, edits: edits, plan: exchange.plan)
        var out = writeBuffer(capacity: capacity)
        out.writeWithByteWriter(capacity: capacity) { out in
            HTTPWire.writeReplyHead(status, headers, edits: edits, plan: exchange.plan, to: &out)
            guard !enveloped else { return }
            if chunked { out.write("transfer-encoding: chunked\r\n") }
            if !keepAlive { out.write("connection: close\r\n") }
            out.write("\r\n")
        }
        if enveloped {
            exchange.status = status
            exchange.heldHead = out
            exchange.heldBody = ByteBuffer()
            return
        }
        exchange.chunkedToClient = chunked
        if recording { exchange.recordedResponse = exchange.engine.finish(exchange.plan, upstream: GatewayResponse(status: status, headers: headers.headers)) }
        exchange.responseStarted = true
        exchange.status = status
        // lastActivity is set at the end of this read batch (`upstreamReadComplete`),
        // if the reply is still going then: no timer fires before that.
        exchange.bytesOut += out.readableBytes
        // Flushed with the body at the end of the upstream's read batch.
        writeStagedHead()
        stagedHead = out
    }

    /// A buffer for a head, with room left for a small body to join it: from the loop's
    /// ring of written buffers (see `WriteBufferRing` for why), or new.
    private func writeBuffer(capacity: Int) -> ByteBuffer {
        pool?.buffers.take(capacity: capacity) ?? allocator.buffer(capacity: max(capacity, WriteBufferRing.smallBuffer))
    }

    func upstreamReadComplete() {
        // A reply still flowing: its timeout counts from this batch of reads.
        if let exchange, exchange.responseStarted { exchange.lastActivity = .now() }
        flushClient()
    }

    func upstreamBody(_ body: ByteBuffer) {
        guard let exchange else { return }
        if exchange.recordedReply != nil, let bytes = body.getBytes(at: body.readerIndex, length: body.readableBytes) {
            let room = RecordedExchange.maxBody - (exchange.recordedReply?.body.count ?? 0)
            exchange.recordedReply?.body += bytes.prefix(max(0, room))
            if exchange.heldHead == nil { exchange.recordedResponse?.body += bytes.prefix(max(0, room)) }
        }
        if exchange.heldHead != nil {
            guard (exchange.heldBody?.readableBytes ?? 0) + body.readableBytes <= state.configuration.maxEnvelopeBytes else {
                exchange.heldHead = nil
                fail(exchange, .badGateway)
                return
            }
            var body = body
            exchange.heldBody?.writeBuffer(&body)
            return
        }
        guard exchange.responseStarted else { return }
        if exchange.chunkedToClient {
            var framed = allocator.buffer(capacity: body.readableBytes + 16)
            framed.writeString(String(body.readableBytes, radix: 16))
            framed.writeStaticString("\r\n")
            var copy = body
            framed.writeBuffer(&copy)
            framed.writeStaticString("\r\n")
            exchange.bytesOut += framed.readableBytes
            write(framed, flush: false)
        } else if var head = stagedHead, body.readableBytes <= head.writableBytes {
            // Joined to the held head (released first, so the append does not copy it),
            // which stays held: the end of the reply writes and flushes it at once.
            stagedHead = nil
            exchange.bytesOut += body.readableBytes
            var body = body
            head.writeBuffer(&body)
            stagedHead = head
        } else {
            exchange.bytesOut += body.readableBytes
            write(body, flush: false)
        }
    }

    func upstreamEnd() {
        guard let exchange else { return }
        if let head = exchange.heldHead, let body = exchange.heldBody {
            exchange.bytesOut += sendEnveloped(exchange, head: head, body: body)
        } else if exchange.chunkedToClient {
            var last = ByteBuffer()
            last.writeStaticString("0\r\n\r\n")
            write(last)
        } else if stagedHead != nil || unflushed {
            // Out with the loop's other replies at the end of its batch of events.
            if let pool { pool.flushes.add(self) } else { flushClient() }
        }
        exchange.responseEnded = true
        if let address = exchange.address {
            let outcome: ServiceHealth.Outcome = exchange.status >= 500 ? .failure : .success
            state.withHealth(service: exchange.upstream.service, engine: exchange.engine) { $0.finished(address, outcome, now: SystemClock().nowMilliseconds()) }
        }
        finish(exchange, reusable: exchange.upstreamKeepAlive && exchange.requestEnded, closeClient: !exchange.keepAlive || !exchange.requestEnded)
    }

    func upstreamFailed() {
        guard let exchange, !exchange.responseEnded else { return }
        if exchange.responseStarted { return fail(exchange, .badGateway) }
        attemptFailed(exchange, .closed)
    }

    // MARK: Endings

    private func timedOut(_ exchange: Exchange) {
        guard self.exchange === exchange, !exchange.responseEnded else { return }
        // Once the reply has started, the timeout counts from its last read: a reply
        // still flowing gets the rest of its time (a clock read per read, not a timer).
        if exchange.responseStarted, !exchange.readPaused {
            let timeout = TimeAmount.milliseconds(Int64(exchange.upstream.timeoutMilliseconds))
            let idle = NIODeadline.now() - exchange.lastActivity
            if idle < timeout { return armTimer(exchange, timeout - idle) }
        }
        // No reply head yet: with `retry: on: [timeout]`, another endpoint gets a full
        // timeout of its own (each attempt is timed; the whole is at most attempts x timeout).
        if !exchange.responseStarted, mayRetry(exchange, .timeout) {
            dropAttempt(exchange)
            exchange.timed = false
            connect(exchange)
            return
        }
        if let address = exchange.address {
            state.withHealth(service: exchange.upstream.service, engine: exchange.engine) { $0.finished(address, .failure, now: SystemClock().nowMilliseconds()) }
        }
        fail(exchange, .timeout)
    }

    /// The upstream failed: a problem+json reply if nothing was sent yet, else the
    /// client connection is closed (a half-sent reply cannot be taken back).
    private func fail(_ exchange: Exchange, _ failure: Engine.UpstreamFailure) {
        guard self.exchange === exchange else { return }
        exchange.responseEnded = true
        if exchange.responseStarted {
            finish(exchange, reusable: false, closeClient: true)
            return
        }
        let response = exchange.engine.failure(failure, plan: exchange.plan, request: exchange.request)
        exchange.status = response.status
        exchange.recordedResponse = response
        exchange.recordedFailure = failure
        exchange.bytesOut += send(response, keepAlive: exchange.keepAlive && exchange.requestEnded, head: false)
        finish(exchange, reusable: false, closeClient: !exchange.keepAlive || !exchange.requestEnded)
    }

    private func failBody(_ exchange: Exchange, status: Int, detail: String) {
        exchange.responseEnded = true
        if !exchange.responseStarted {
            exchange.status = status
            exchange.bytesOut += send(exchange.engine.rejection(status: status, detail: detail, target: exchange.request.target), keepAlive: false, head: false)
        }
        finish(exchange, reusable: false, closeClient: true)
    }

    private func finish(_ exchange: Exchange, reusable: Bool, closeClient: Bool) {
        guard self.exchange === exchange else { return }
        self.exchange = nil
        state.inFlight.subtract(1, ordering: .relaxed)
        let now = NIODeadline.now()
        let route = exchange.engine.artifact.routes[exchange.plan.route].key
        state.record(route: route, status: exchange.status, started: exchange.started, now: now, last: &lastMetrics,
                     AccessLog.Entry(time: exchange.plan.timestampMilliseconds, requestID: exchange.plan.requestID, method: exchange.request.method,
                                     path: exchange.request.target, route: route, principal: exchange.plan.principal?.id, status: exchange.status,
                                     latencyMicroseconds: 0, upstream: exchange.address?.description, bytesIn: exchange.bytesIn,
                                     bytesOut: exchange.bytesOut, attempts: exchange.attempts))
        if state.recording, let recorder = state.configuration.recorder, let response = exchange.recordedResponse {
            recorder.record(RecordedExchange(time: exchange.plan.timestampMilliseconds, principal: exchange.plan.principal, request: exchange.request,
                                             upstream: exchange.upstream, upstreamReply: exchange.recordedReply,
                                             upstreamFailure: exchange.recordedFailure, response: response))
        }
        deadline?.clear()
        if let connection = exchange.connection, context != nil, let pool {
            upstreamWritabilityChanged(writable: true)
            pool.release(connection, reusable: reusable && exchange.responseEnded)
        } else if let connection = exchange.connection {
            connection.handler.exchange = nil
            connection.channel.close(promise: nil)
        }
        if closeClient || closing {
            close()
            return
        }
        armTimer(partial: buffer.readableBytes > 0, now: now)
        process()
    }

    private func reject(status: Int, detail: String) {
        let response = state.currentEngine.rejection(status: status, detail: detail)
        let written = send(response, keepAlive: false, head: false)
        state.record(route: nil, status: status, started: .now(), last: &lastMetrics,
                     AccessLog.Entry(time: SystemClock().nowMilliseconds(), requestID: response.header("x-request-id") ?? "-", method: "-", path: "-",
                                     route: nil, principal: nil, status: status, latencyMicroseconds: 0, upstream: nil, bytesIn: 0, bytesOut: written))
        close()
    }

    /// Writes a whole response; returns its size on the wire.
    @discardableResult
    /// The held head, framed by the wrapped body's length, then the body wrapped by
    /// the engine straight into the outgoing buffer.
    private func sendEnveloped(_ exchange: Exchange, head: ByteBuffer, body: ByteBuffer) -> Int {
        let engine = exchange.engine, plan = exchange.plan
        let capacity = engine.envelopeCapacity(bodyCount: body.readableBytes, plan)
        var wrapped = allocator.buffer(capacity: capacity)
        var written = false
        wrapped.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { free in
            let count = body.withUnsafeReadableBytes { engine.envelope($0, plan, into: free) }
            written = count != nil
            return count ?? 0
        }
        // The capacity is an upper bound; should it ever fall short, the same bytes by the long way.
        if !written { wrapped.writeBytes(engine.envelope(Array(body.readableBytesView), plan)) }
        if state.recording, let reply = exchange.recordedReply {
            exchange.recordedResponse = engine.finish(plan, upstream: GatewayResponse(status: exchange.status, headers: reply.headers,
                                                                                      body: Array(body.readableBytesView)))
        }
        var out = head
        out.writeStaticString("content-length: ")
        Digits.decimal(Int64(wrapped.readableBytes)) { out.writeBytes($0) }
        out.writeStaticString("\r\n")
        if !exchange.keepAlive { out.writeStaticString("connection: close\r\n") }
        out.writeStaticString("\r\n")
        let size = out.readableBytes + wrapped.readableBytes
        write(out, flush: false)
        write(wrapped)
        return size
    }

    private func send(_ response: GatewayResponse, keepAlive: Bool, head: Bool) -> Int {
        var out = allocator.buffer(capacity: 512 + response.body.count)
        HTTPWire.writeResponse(response, keepAlive: keepAlive, headRequest: head, into: &out)
        let size = out.readableBytes
        write(out)
        return size
    }

    private func write(_ bytes: ByteBuffer, flush: Bool = true) {
        guard let context else { return }
        writeStagedHead()
        context.write(wrapOutboundOut(bytes), promise: nil)
        unflushed = true
        if flush { flushClient() }
        // Past the high-water mark the upstream is not read again (its handler turns
        // reading off) until the client catches up; meanwhile the idle timeout applies.
        if !context.channel.isWritable, let exchange, let connection = exchange.connection, !exchange.readPaused {
            exchange.readPaused = true
            connection.handler.pause()
            flushClient()
            armTimer(exchange, state.configuration.idleTimeout)
        }
    }

    /// Hands a held reply head to NIO, ahead of whatever is written next.
    private func writeStagedHead() {
        guard let head = stagedHead, let context else { return }
        stagedHead = nil
        pool?.buffers.keep(head)
        context.write(wrapOutboundOut(head), promise: nil)
        unflushed = true
    }

    func flushDeferred() { flushClient() }

    /// Flushes what was written, if anything was: a flush through the pipeline with
    /// nothing pending still costs a walk through NIO's channel code.
    private func flushClient() {
        guard let context else { return }
        if let head = stagedHead {
            // One trip through the pipeline for the write and the flush (which also
            // sends anything written before).
            stagedHead = nil
            unflushed = false
            pool?.buffers.keep(head)
            context.writeAndFlush(wrapOutboundOut(head), promise: nil)
            return
        }
        guard unflushed else { return }
        unflushed = false
        context.flush()
    }

    private func close() {
        guard !closing, context != nil else { return }
        closing = true
        deadline?.stop()
        flushClient()
        context?.close(promise: nil)
    }

    /// Waiting for a head: `partial` (some bytes came) allows the header timeout,
    /// an empty buffer the idle timeout. Slow clients get 408; idle ones are closed.
    private func armTimer(partial: Bool, now: NIODeadline = .now()) {
        guard !closing else { return }
        waitingForHead = partial
        deadline?.set(in: partial ? state.configuration.headerTimeout : state.configuration.idleTimeout, .head(partial: partial), now: now)
    }

    /// What the rest of a request's handling needs of its parsed head: how its body
    /// is framed and whether the connection stays open.
    struct HeadFraming {
        let keepAlive: Bool
        let chunked: Bool
        let contentLength: Int?

        init(_ head: ParsedRequestHead) {
            keepAlive = head.keepAlive
            chunked = head.chunked
            contentLength = head.contentLength
        }
    }

    /// One request from its head to the end of its reply.
    final class Exchange {
        enum Framing {
            case length(Int)
            case chunked(ChunkedBodyScanner)
        }

        let engine: Engine
        let request: RequestHead
        let upstream: UpstreamRequest
        let plan: ResponsePlan
        let keepAlive: Bool
        var framing: Framing
        var connection: UpstreamConnection?
        var pending: [ByteBuffer] = []
        var requestEnded = false
        var responseStarted = false
        var responseEnded = false
        var chunkedToClient = false
        var upstreamKeepAlive = true
        /// An enveloped reply waits here until the upstream's body is complete.
        var heldHead: ByteBuffer?
        var heldBody: ByteBuffer?
        /// Whether the route's timeout runs for the current attempt.
        var timed = false
        // For the access log and metrics.
        let started: NIODeadline
        var status = 502
        var address: UpstreamAddress?
        var bytesIn = 0
        var bytesOut = 0
        // Attempts: endpoints tried, retries made.
        var tried: [UpstreamAddress] = []
        /// The client stopped taking the reply: the upstream is not read until it does.
        var readPaused = false
        /// When the upstream last sent part of the reply.
        var lastActivity: NIODeadline
        // Record mode only.
        var recordedReply: GatewayResponse?
        var recordedResponse: GatewayResponse?
        var recordedFailure: Engine.UpstreamFailure?
        var attempts = 0

        init(engine: Engine, request: RequestHead, upstream: UpstreamRequest, plan: ResponsePlan, keepAlive: Bool, framing: Framing,
             started: NIODeadline) {
            self.started = started
            self.lastActivity = started
            self.engine = engine
            self.request = request
            self.upstream = upstream
            self.plan = plan
            self.keepAlive = keepAlive
            self.framing = framing
        }
    }
}
