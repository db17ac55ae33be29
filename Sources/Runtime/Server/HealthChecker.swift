import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Active health checks: each service with `health:` gets `GET path` on every
/// endpoint every `every`; a 2xx or 3xx within `timeout` passes. The verdicts feed
/// `ServiceHealth` (consecutive `healthy`/`unhealthy` results flip an endpoint) and
/// the `gateway_upstream_healthy` gauge.
final class HealthChecker: Sendable {
    private let state: ServerState
    private let eventLoop: EventLoop
    private let lastRun = Mutex<[String: Int64]>([:])

    init(state: ServerState, eventLoop: EventLoop) {
        self.state = state
        self.eventLoop = eventLoop
    }

    /// Looks every 250 ms for services whose check is due.
    func start() {
        eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(250)) { [self] _ in tick() }
    }

    private func tick() {
        let engine = state.currentEngine
        let now = SystemClock().nowMilliseconds()
        for (index, service) in engine.artifact.services.enumerated() {
            guard let health = service.health else { continue }
            let due = lastRun.withLock { runs in
                guard now - (runs[service.name] ?? 0) >= Int64(health.everyMilliseconds) else { return false }
                runs[service.name] = now
                return true
            }
            guard due else { continue }
            for address in state.addresses(service: index, engine: engine) {
                probe(address, path: health.path, timeout: .milliseconds(Int64(health.timeoutMilliseconds))).whenComplete { [state] result in
                    let passed = (try? result.get()) ?? false
                    state.withHealth(service: index, engine: engine) { $0.checked(address, passed: passed) }
                    state.metrics.upstream(service: service.name, endpoint: address.description, healthy: passed)
                }
            }
        }
    }

    private func probe(_ address: UpstreamAddress, path: String, timeout: TimeAmount) -> EventLoopFuture<Bool> {
        let promise = eventLoop.makePromise(of: Bool.self)
        let deadline = eventLoop.scheduleTask(in: timeout) { promise.fail(ChannelError.connectTimeout(timeout)) }
        ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ProbeHandler(promise: promise))
                }
            }
            .connect(host: address.host, port: address.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path,
                                               headers: HTTPHeaders([("host", address.description), ("connection", "close"), ("user-agent", "gatewayd-health")]))
                    channel.write(HTTPClientRequestPart.head(head), promise: nil)
                    channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                    promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                case .failure(let error):
                    promise.fail(error)
                }
            }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        return promise.futureResult
    }
}

private final class ProbeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    private let promise: EventLoopPromise<Bool>

    init(promise: EventLoopPromise<Bool>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) { promise.succeed((200..<400).contains(Int(head.status.code))) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.eof)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
