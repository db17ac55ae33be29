import NIOCore
import NIOHTTP1
import NIOPosix
import Runtime
import Synchronization

/// The demo's stand-in for the platform's services: one loopback HTTP server that
/// answers like pricing, market data, trading, positions and accounts would, in JSON.
final class MockForexBackend: Sendable {
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let channel = Mutex<Channel?>(nil)

    /// Starts on an ephemeral loopback port and returns it.
    func start() async throws -> Int {
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(MockHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        channel.withLock { $0 = server }
        return server.localAddress?.port ?? 0
    }

    func stop() async {
        if let server = channel.withLock({ $0 }) { try? await server.close() }
        try? await group.shutdownGracefully()
    }
}

private final class MockHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var head: HTTPRequestHead?
    private nonisolated(unsafe) static var orders = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            let (status, json) = Self.answer(head.method, head.uri)
            SimpleReply.write(status, contentType: "application/json", body: Array(json.utf8), to: head, context: context)
            self.head = nil
        }
    }

    /// What each service would say.
    static func answer(_ method: HTTPMethod, _ uri: String) -> (HTTPResponseStatus, String) {
        let path = uri.split(separator: "?").first.map(String.init) ?? uri
        let parts = path.split(separator: "/").map(String.init)
        switch (method, parts.first ?? "") {
        case (.GET, "quotes") where parts.count == 2:
            return (.ok, #"{"pair":"\#(parts[1])","bid":1.08412,"ask":1.08427,"venue":"demo"}"#)
        case (.GET, "quotes"):
            return (.ok, #"[{"pair":"EURUSD","bid":1.08412,"ask":1.08427},{"pair":"GBPUSD","bid":1.26405,"ask":1.26421}]"#)
        case (.POST, "quotes"):
            return (.accepted, #"{"accepted":true}"#)
        case (.POST, "orders"):
            orders += 1
            return (.created, #"{"id":"6f1c2b1e-0000-4000-8000-\#(uuidTail(orders))","status":"accepted"}"#)
        case (.GET, "orders"):
            return (.ok, #"[{"id":"6f1c2b1e-0000-4000-8000-000000000001","pair":"EURUSD","side":"buy","qty":100000,"status":"filled"}]"#)
        case (.DELETE, "orders"):
            return (.ok, #"{"status":"cancelled"}"#)
        case (_, "positions"):
            return (.ok, #"[{"account":"ACC42","pair":"EURUSD","qty":100000,"pnl":12.5}]"#)
        case (.GET, "accounts") where parts.last == "balance":
            return (.ok, #"{"account":"\#(parts.count > 1 ? parts[1] : "")","currency":"USD","balance":250000.0}"#)
        case (_, "accounts"):
            return (.ok, #"{"account":"\#(parts.count > 1 ? parts[1] : "")","currency":"USD","status":"active"}"#)
        case (_, "candles"):
            return (.ok, #"[{"t":"2026-01-05T12:00:00Z","o":1.0841,"h":1.0850,"l":1.0836,"c":1.0846}]"#)
        default:
            return (.ok, #"{"service":"demo","path":"\#(path)"}"#)
        }
    }
}

/// Twelve digits, zero-padded (a UUID's last group).
private func uuidTail(_ number: Int) -> String {
    let digits = "\(number)"
    return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
}
