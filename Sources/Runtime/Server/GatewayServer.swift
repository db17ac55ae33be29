import NIOCore
import NIOPosix
import Synchronization

/// `gatewayd`'s HTTP/1.1 server: the imperative shell around the engine. It owns the
/// sockets, the event loops, the upstream pools and the program swap on reload.
public final class GatewayServer: Sendable {
    public let configuration: ServerConfiguration
    private let group: MultiThreadedEventLoopGroup
    private let state: ServerState
    private let channel: Mutex<Channel?>
    private let adminChannel: Mutex<Channel?>
    public let metrics: GatewayMetrics
    public let accessLog: AccessLog

    public init(engine: Engine, configuration: ServerConfiguration, metrics: GatewayMetrics = GatewayMetrics(), accessLog: AccessLog = AccessLog()) {
        self.configuration = configuration
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        self.metrics = metrics
        self.accessLog = accessLog
        self.state = ServerState(engine: engine, configuration: configuration, eventLoops: Array(group.makeIterator()), metrics: metrics, accessLog: accessLog)
        self.channel = Mutex(nil)
        self.adminChannel = Mutex(nil)
    }

    /// Binds and starts accepting; returns the port (useful with port 0).
    public func start() async throws -> Int {
        let state = state
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ClientConnectionHandler(state: state))
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        channel.withLock { $0 = server }
        // The access log goes out in batches; a few times a second at most it waits.
        let accessLog = accessLog
        group.next().scheduleRepeatedTask(initialDelay: .milliseconds(250), delay: .milliseconds(250)) { _ in accessLog.flush() }
        HealthChecker(state: state, eventLoop: group.next()).start()
        return server.localAddress?.port ?? configuration.port
    }

    /// Starts the admin listener (`/metrics`, `/healthz`, `/readyz`, `/admin/routes`);
    /// returns its port.
    public func startAdmin(host: String, port: Int) async throws -> Int {
        let state = state
        let admin = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(AdminHandler(state: state))
                }
            }
            .bind(host: host, port: port)
            .get()
        adminChannel.withLock { $0 = admin }
        return admin.localAddress?.port ?? port
    }

    /// The engine that serves new requests from now on; requests already decided
    /// finish on the engine they started with.
    public func replaceEngine(_ engine: Engine) { state.replaceEngine(engine) }

    public var engine: Engine { state.currentEngine }

    /// Requests between their head and the end of their reply.
    public var inFlight: Int { state.inFlight.load(ordering: .relaxed) }
    public var openConnections: Int { state.connections.load(ordering: .relaxed) }

    /// Stops accepting, lets in-flight requests finish for up to `deadline`, then
    /// closes everything.
    public func shutdown(deadline: Duration = .seconds(10)) async {
        state.draining.store(true, ordering: .relaxed)
        if let server = channel.withLock({ $0 }) { try? await server.close() }
        let start = ContinuousClock.now
        while inFlight > 0 && ContinuousClock.now - start < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if let admin = adminChannel.withLock({ $0 }) { try? await admin.close() }
        accessLog.flush()
        try? await group.shutdownGracefully()
    }
}
